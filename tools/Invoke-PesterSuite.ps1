#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the module's Pester suites (tests/pester) in a fresh pwsh against the staged module.

.DESCRIPTION
    Starts a new pwsh process (no module, variable or store of the calling session leaks in),
    imports Pester 6.2.0 from the NuGet package folder (restored by tools/TestDependencies.proj),
    points the suites at the staged module through $env:MMS_MODULE_PATH and runs them. Prints
    Pester's summary, then one plain line "N passed, N failed" (", N skipped" when any were
    skipped) and exits non-zero when anything failed.

.PARAMETER Path
    Test files or folders; default tests/pester.

.PARAMETER ModulePath
    The staged module folder; default out/MeetingMigration.

.PARAMETER ExcludeTag
    Tags to leave out, e.g. Scale for the 100,000-user tests.

.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Invoke-PesterSuite.ps1 -ModulePath out/MeetingMigration
#>
[CmdletBinding()]
param(
    [string[]] $Path = @(Join-Path $PSScriptRoot '../tests/pester'),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/MeetingMigration'),
    [string[]] $ExcludeTag = @(),
    # Internal: set when this script runs itself in the fresh process, with the paths joined by
    # the path separator (pwsh -File passes each argument as one string).
    [switch] $InFreshProcess,
    [string] $PathList
)

$ErrorActionPreference = 'Stop'

if (-not $InFreshProcess) {
    # pwsh as a .NET tool has no apphost on some installs: run its dll through dotnet then.
    $apphost = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $pwsh = (Test-Path $apphost) ? @($apphost) : @('dotnet', (Join-Path $PSHOME 'pwsh.dll'))
    $arguments = @('-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-InFreshProcess',
        '-ModulePath', (Resolve-Path $ModulePath).ProviderPath,
        '-PathList', (@($Path | ForEach-Object { (Resolve-Path $_).ProviderPath }) -join [IO.Path]::PathSeparator))
    if ($ExcludeTag) { $arguments += @('-ExcludeTag') + $ExcludeTag }
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) @arguments
    exit $LASTEXITCODE
}

$packages = $env:NUGET_PACKAGES ? $env:NUGET_PACKAGES : (Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages')
$pesterManifest = Get-ChildItem (Join-Path $packages 'pester/6.2.0/tools') -Recurse -Filter Pester.psd1 -ErrorAction SilentlyContinue |
    Select-Object -First 1
if (-not $pesterManifest) {
    throw "Pester 6.2.0 is not in $packages; run 'dotnet restore tools/TestDependencies.proj'."
}
Import-Module $pesterManifest.FullName -Force

if ($PathList) { $Path = $PathList -split [regex]::Escape([IO.Path]::PathSeparator) }
$env:MMS_MODULE_PATH = $ModulePath
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
# Plain text in a redirected log (no colour escape codes), colours on a terminal.
if ([Console]::IsOutputRedirected -or $env:NO_COLOR) { $configuration.Output.RenderMode = 'Plaintext' }
if ($ExcludeTag) { $configuration.Filter.ExcludeTag = $ExcludeTag }

$result = Invoke-Pester -Configuration $configuration

$line = "$($result.PassedCount) passed, $($result.FailedCount) failed"
if ($result.SkippedCount -gt 0) { $line += ", $($result.SkippedCount) skipped" }
Write-Host $line
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
exit ($failed -gt 0 -or $result.Result -ne 'Passed') ? 1 : 0
