#Requires -Version 7.4
<#
.SYNOPSIS
    The demo: the seed example of Start-CsExMeetingMigration against the sample tenant, on a
    fresh embedded store, followed to its end; then a job; then the status table and one
    rewritten meeting before and after.
#>
param(
    [Parameter(Mandatory)][string] $ModulePath,
    # A fresh store each run unless one is given.
    [string] $StorePath = (Join-Path $PSScriptRoot "../out/demo/mms-$([DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss')).db")
)
$ErrorActionPreference = 'Stop'
$StorePath = [IO.Path]::GetFullPath($StorePath)
$env:MEETING_MIGRATION_STORE = $StorePath
Import-Module $ModulePath

function Show-Step([string] $Text) { Write-Host "`n### $Text" -ForegroundColor Green }
# Rendered at a fixed width: a redirected or narrow console would wrap the table headers.
function Show-Table {
    $input | Format-Table @args | Out-String -Width 160 | ForEach-Object TrimEnd | Write-Host
}

Show-Step "A fresh store: $StorePath"
New-MmsSampleTenant | Show-Table TenantId, Name, IsDefault, UserCount

Show-Step 'The user of the seed example'
Get-CsOnlineUser -Identity John@contoso.com |
    Format-List UserPrincipalName, SipAddress, DisplayName, WindowsDomainLogon, DistinguishedName, TeamsUpgradeEffectiveMode

$before = Get-MmsMeeting -Identity John@contoso.com | Where-Object MeetingType -eq 'SfbOnPrem' | Select-Object -First 1

Show-Step 'Start-CsExMeetingMigration -Identity John@contoso.com'
$status = Start-CsExMeetingMigration -Identity John@contoso.com
$status | Show-Table UserPrincipalName, CorrelationId, MigrationType, State, CreateDate

Show-Step 'The worker takes it: progress until it finishes'
do {
    $current = Get-CsMeetingMigrationStatus -Identity John@contoso.com | Select-Object -Last 1
    $percent = if ($current.TotalMeeting) { 100 * ($current.SucceededMeeting + $current.FailedMeeting) / $current.TotalMeeting } else { 0 }
    Write-Progress -Activity 'Meeting migration for John@contoso.com' -Status "$($current.State): $($current.SucceededMeeting + $current.FailedMeeting) of $($current.TotalMeeting) meetings" -PercentComplete $percent
    Start-Sleep -Milliseconds 200
} while ($current.State -in 'Pending', 'InProgress')
Write-Progress -Activity 'Meeting migration for John@contoso.com' -Completed
$current | Format-List UserPrincipalName, State, TotalMeeting, SucceededMeeting, FailedMeeting, InvitesUpdate, LastMessage

Show-Step 'The same as a job: Start-CsExMeetingMigration kenmyer@litwareinc.com -SourceMeetingType SfB -TargetMeetingType Teams -AsJob'
$job = Start-CsExMeetingMigration kenmyer@litwareinc.com -SourceMeetingType SfB -TargetMeetingType Teams -AsJob
$job | Show-Table Id, Name, State, HasMoreData
Receive-Job $job -Wait -AutoRemoveJob | Show-Table UserPrincipalName, MigrationType, State, TotalMeeting, SucceededMeeting, FailedMeeting

Show-Step 'Get-CsMeetingMigrationStatus'
Get-CsMeetingMigrationStatus | Show-Table
Get-CsMeetingMigrationStatus -SummaryOnly | Show-Table

Show-Step "One of John's meetings before and after: $($before.Subject)"
$after = Get-MmsMeeting -Identity John@contoso.com | Where-Object MeetingId -eq $before.MeetingId
Write-Host "Before ($($before.MeetingType)):" -ForegroundColor Yellow
Write-Host $before.OnlineMeetingBlock
Write-Host "After ($($after.MeetingType)):" -ForegroundColor Yellow
Write-Host $after.OnlineMeetingBlock
