#Requires -Version 7.4
<#
.SYNOPSIS
    Per-item cost of Start-CsExMeetingMigration against the PowerShell floor, measured in one
    run (ratios, not absolute times: these machines are shared and noisy).

.DESCRIPTION
    N piped identities through:
      - an empty compiled cmdlet and an empty advanced function with the same parameters
        (the floor: what binding a pipeline item costs at all);
      - Start-CsExMeetingMigration -WhatIf (resolution and the read-only preview);
      - Start-CsExMeetingMigration -Confirm:$false (durable, batched starts);
      - Get-CsMeetingMigrationStatus over the records it queued (the output share of a start).
    The split of a start's per-item cost: binding (the empty compiled cmdlet), preview and
    ShouldProcess (-WhatIf less binding), the start itself (real less -WhatIf) and, of that, the
    output (records read and written).
    Plus the cold Import-Module time in a fresh process against a bare pwsh start, and the floor: an
    empty binary module imported through a manifest the same way (medians of five).
    Targets: real starts <= 10x the function floor per item, -WhatIf <= 3x.
#>
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [int] $Count = 20000
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$work = Join-Path ([IO.Path]::GetTempPath()) "mms-bench-$([guid]::NewGuid())"
New-Item -ItemType Directory $work | Out-Null
$env:MEETING_MIGRATION_STORE = Join-Path $work 'bench.db'

# Cold import: fresh pwsh processes that import the module and make one call, against processes that
# do nothing and processes that import an empty binary module through a manifest (the floor any binary
# module pays: this pwsh JIT-compiles its module loader on first use). Median of five of each, interleaved.
# pwsh as a .NET tool may have no apphost: then its dll runs through dotnet.
$apphost = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$pwsh, $pwshArgs = (Test-Path $apphost) ? @($apphost, @()) : @('dotnet', @(Join-Path $PSHOME 'pwsh.dll'))
$emptyModule = Join-Path $work 'EmptyModule'
New-Item -ItemType Directory $emptyModule | Out-Null
Add-Type -OutputAssembly (Join-Path $emptyModule 'EmptyModule.dll') -ReferencedAssemblies ([psobject].Assembly.Location) -TypeDefinition @"
using System.Management.Automation;
[Cmdlet(VerbsCommon.Get, "EmptyModuleItem")]
public sealed class GetEmptyModuleItem : PSCmdlet { protected override void ProcessRecord() { WriteObject(1); } }
"@
Set-Content (Join-Path $emptyModule 'EmptyModule.psd1') "@{ RootModule = 'EmptyModule.dll'; ModuleVersion = '1.0.0'; GUID = '$([guid]::NewGuid())'; CmdletsToExport = @('Get-EmptyModuleItem') }"
function Measure-ColdStart([string] $Command) {
    $ms = (Measure-Command { & $pwsh @pwshArgs -NoProfile -NonInteractive -Command $Command }).TotalMilliseconds
    if ($LASTEXITCODE -ne 0) { throw "a cold start failed (exit $LASTEXITCODE): $Command" }
    $ms
}
$coldRuns = foreach ($i in 1..5) {
    [pscustomobject]@{
        Bare  = Measure-ColdStart 'exit 0'
        Empty = Measure-ColdStart "Import-Module '$emptyModule'; Get-EmptyModuleItem | Out-Null; exit 0"
        Ours  = Measure-ColdStart "Import-Module '$ModulePath'; Get-MmsTenant | Out-Null; exit 0"
    }
}
function Get-Median([double[]] $Values) { ($Values | Sort-Object)[[math]::Floor($Values.Count / 2)] }
$bare = Get-Median $coldRuns.Bare
$emptyCold = Get-Median $coldRuns.Empty
$cold = Get-Median $coldRuns.Ours

# Every measurement runs in one runspace with no host, so -WhatIf lines are not printed.
$runspace = [runspacefactory]::CreateRunspace()
$runspace.Open()
function Invoke-InRunspace([string] $Script, [hashtable] $Arguments = @{}) {
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    [void]$ps.AddScript($Script)
    foreach ($k in $Arguments.Keys) { [void]$ps.AddParameter($k, $Arguments[$k]) }
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $out = $ps.Invoke()
    $sw.Stop()
    if ($ps.HadErrors) { throw "bench script failed: $($ps.Streams.Error | Select-Object -First 3)" }
    $ps.Dispose()
    [pscustomobject]@{ Output = $out; Milliseconds = $sw.Elapsed.TotalMilliseconds }
}

$setup = Invoke-InRunspace -Arguments @{ Module = $ModulePath; Count = $Count } -Script @'
param($Module, $Count)
Import-Module $Module
# The last 500 users warm each pipeline up (JIT, caches) before it is measured on the others. The
# hold keeps the in-process worker off the queue while the starts are timed: this is the cmdlet's
# cost; the worker's is measured by the worker benchmark (benches/migration.rs).
New-MmsSampleTenant -UserCount ($Count + 500) -MeetingsPerUser 0 | Out-Null
Set-CsTenantMigrationConfiguration -HoldMinutes 60
Add-Type -ReferencedAssemblies ([psobject].Assembly.Location) -TypeDefinition @"
using System;
using System.Management.Automation;
[Cmdlet(VerbsLifecycle.Start, "EmptyCompiledMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class StartEmptyCompiledMigration : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("UserPrincipalName", "SipAddress", "UserId")]
    public object Identity { get; set; } = "";
    [Parameter, ValidateSet("All", "SfB", "Teams", IgnoreCase = true)] public string SourceMeetingType { get; set; } = "All";
    [Parameter, ValidateSet("Current", "Teams", IgnoreCase = true)] public string TargetMeetingType { get; set; } = "Current";
    [Parameter] public Guid Tenant { get; set; }
    [Parameter] public SwitchParameter AsJob { get; set; }
    protected override void ProcessRecord() { }
}
"@ -PassThru | ForEach-Object { Import-Module $_.Assembly }
function global:Start-EmptyMigration {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('UserPrincipalName', 'SipAddress', 'UserId')] [object] $Identity,
        [ValidateSet('All', 'SfB', 'Teams')] [string] $SourceMeetingType = 'All',
        [ValidateSet('Current', 'Teams')] [string] $TargetMeetingType = 'Current',
        [guid] $Tenant,
        [switch] $AsJob)
    process { }
}
$global:ids = 1..$Count | ForEach-Object { "user$_@contoso.com" }
$global:warmUp = ($Count + 1)..($Count + 500) | ForEach-Object { "user$_@contoso.com" }
'@

Invoke-InRunspace @'
$warmUp | Start-EmptyCompiledMigration -Confirm:$false
$warmUp | Start-EmptyMigration -Confirm:$false
$warmUp | Start-CsExMeetingMigration -WhatIf
$warmUp | Start-CsExMeetingMigration -Confirm:$false | Out-Null
Get-CsMeetingMigrationStatus | Out-Null
'@ | Out-Null
$compiled = Invoke-InRunspace '$ids | Start-EmptyCompiledMigration -Confirm:$false'
$function = Invoke-InRunspace '$ids | Start-EmptyMigration -Confirm:$false'
$whatIf = Invoke-InRunspace '$ids | Start-CsExMeetingMigration -WhatIf'
$real = Invoke-InRunspace '($ids | Start-CsExMeetingMigration -Confirm:$false | Measure-Object).Count'
$queued = $real.Output[0]
# The output share of a start: the same status records read back and written by a cmdlet.
$records = Invoke-InRunspace '(Get-CsMeetingMigrationStatus | Measure-Object).Count'
if ($records.Output[0] -ne $Count + 500) { throw "expected $($Count + 500) status records to read back, got $($records.Output[0])" }
$runspace.Dispose()

$perItem = { param($ms) 1000 * $ms / $Count }
$report = [ordered]@{
    'items'                                   = $Count
    'empty compiled cmdlet, us/item'          = '{0:n2}' -f (& $perItem $compiled.Milliseconds)
    'empty advanced function, us/item'        = '{0:n2}' -f (& $perItem $function.Milliseconds)
    'Start-CsExMeetingMigration -WhatIf, us/item' = '{0:n2}' -f (& $perItem $whatIf.Milliseconds)
    'Start-CsExMeetingMigration, us/item'     = '{0:n2}' -f (& $perItem $real.Milliseconds)
    'durable starts per second'               = '{0:n0}' -f ($queued / ($real.Milliseconds / 1000))
    'ratio real / function floor (target <= 10)' = '{0:n2}' -f ($real.Milliseconds / $function.Milliseconds)
    'ratio WhatIf / function floor (target <= 3)' = '{0:n2}' -f ($whatIf.Milliseconds / $function.Milliseconds)
    'ratio real / compiled floor'             = '{0:n2}' -f ($real.Milliseconds / $compiled.Milliseconds)
    'split of a start, us/item: binding'      = '{0:n2}' -f (& $perItem $compiled.Milliseconds)
    '  preview and ShouldProcess (WhatIf - binding)' = '{0:n2}' -f (& $perItem ($whatIf.Milliseconds - $compiled.Milliseconds))
    '  start (real - WhatIf)'                 = '{0:n2}' -f (& $perItem ($real.Milliseconds - $whatIf.Milliseconds))
    '  of which output (records read, written)' = '{0:n2}' -f (1000 * $records.Milliseconds / ($Count + 500))
    'cold import + first call over bare pwsh, ms' = '{0:n0} ({1:n0} - {2:n0}; target 60)' -f ($cold - $bare), $cold, $bare
    '  floor: an empty binary module the same way, ms' = '{0:n0} over bare' -f ($emptyCold - $bare)
    '  this module over that floor, ms'       = '{0:n0}' -f ($cold - $emptyCold)
}
Write-Host "`nStart-CsExMeetingMigration benchmark (one run)"
$report.GetEnumerator() | ForEach-Object { '{0,-52} {1}' -f $_.Key, $_.Value }
if ($queued -ne $Count) { throw "expected $Count status records, got $queued" }
Remove-Item $work -Recurse -Force -ErrorAction Ignore
