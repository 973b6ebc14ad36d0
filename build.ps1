#Requires -Version 7.4
<#
.SYNOPSIS
    The one entry point of MeetingMigration: build, header, tests, benchmarks, demo.

.DESCRIPTION
    Tasks (run in the order given):
      Build   release Rust library and mms-worker, the C# module, staged into out/MeetingMigration/
      Header  regenerate include/meeting_migration.h with cbindgen (the tests check it is fresh)
      Lint    cargo fmt --check and cargo clippy -D warnings
      Test    Lint, cargo tests (Rust, the C program, header freshness), Pester suites in a fresh pwsh
      Bench   every benchmark (criterion and the PowerShell script), one report of ratios
      Demo    the seed example on a fresh store: sample tenant, Start-CsExMeetingMigration, job, status
      Fuzz    coverage-guided fuzzing (libFuzzer) of the parsers, import readers and C ABI, one
              target at a time within -FuzzSeconds / -FuzzRuns each; not part of Test

    Every task first installs what is missing (Debian's packaged crates, libsqlite3-dev,
    cbindgen, the .NET local tools, Pester) when run as root, and otherwise names the command
    that would. Crates come from Debian's packages (/usr/share/cargo/registry) through a
    source replacement passed on cargo's command line; set MMS_CRATE_SOURCE=crates-io (or
    pass -CrateSource CratesIo) to build the same tree from crates.io instead.

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Demo

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test

.EXAMPLE
    dotnet pwsh ./build.ps1 Fuzz -FuzzTarget filter, identity -FuzzRuns 10000000 -FuzzSeconds 3600
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Header', 'Lint', 'Test', 'Bench', 'Demo', 'Fuzz')]
    [string[]] $Task = 'Build',

    # Fuzz: the targets to run, in order (all by default); "a,b" works from a shell too.
    [ValidateScript({ $_ -split ',' | ForEach-Object { $_.Trim() -in 'identity', 'filter', 'json', 'csv', 'abi' } | Where-Object { -not $_ } | ForEach-Object { throw "Fuzz targets are identity, filter, json, csv and abi." }; $true })]
    [string[]] $FuzzTarget = @('identity', 'filter', 'json', 'csv', 'abi'),

    # Fuzz: the most time each target runs, in seconds.
    [ValidateRange(1, 604800)]
    [int] $FuzzSeconds = 60,

    # Fuzz: the most executions each target runs (0: no limit but -FuzzSeconds).
    [ValidateRange(0, [long]::MaxValue)]
    [long] $FuzzRuns = 0,

    [ValidateSet('Auto', 'Debian', 'CratesIo')]
    [string] $CrateSource = $(if ($env:MMS_CRATE_SOURCE -eq 'crates-io') { 'CratesIo' } else { 'Auto' })
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
# A redirected log gets plain text: no colour codes from PowerShell (errors, Write-Host) or from
# the tools it starts (NO_COLOR is read by pwsh, Pester and cargo's children alike).
if ([Console]::IsOutputRedirected -or [Console]::IsErrorRedirected) {
    $PSStyle.OutputRendering = 'PlainText'
    $env:NO_COLOR = '1'
}
$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir 'MeetingMigration'

. (Join-Path $Root 'tools/BuildSupport.ps1')

# What is missing is said plainly, without an error view around it.
try { Initialize-Toolchain -CrateSource $CrateSource }
catch {
    [Console]::Error.WriteLine("build.ps1: $($_.Exception.Message)")
    exit 1
}

foreach ($t in $Task) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    Write-Host "==> $t" -ForegroundColor Cyan
    switch ($t) {
        'Build' { Invoke-BuildTask }
        'Header' { Invoke-HeaderTask }
        'Lint' { Invoke-LintTask }
        'Test' { Invoke-TestTask }
        'Bench' { Invoke-BenchTask }
        'Demo' { Invoke-DemoTask }
        'Fuzz' { Invoke-FuzzTask -Targets ($FuzzTarget -split ',' | ForEach-Object Trim) -Seconds $FuzzSeconds -Runs $FuzzRuns }
    }
    Write-Host ("<== {0} ({1:n1} s)" -f $t, $watch.Elapsed.TotalSeconds) -ForegroundColor Cyan
}
