#Requires -Version 7.4
<#
.SYNOPSIS
    The demo: the seed example of Start-CsExMeetingMigration against the sample tenant, on a
    fresh embedded store, followed to its end; why one meeting was not migrated; then a job;
    then the status table and one rewritten meeting before and after.

.DESCRIPTION
    Tables are left to PowerShell and its views, so they fit the console they are shown in
    (80 columns and up).
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
function Show-Command([string] $Text) { Write-Host "PS> $Text" -ForegroundColor Yellow }
# Objects through the module's views, at the console's own width.
function Show-Object { $input | Out-Host }

Show-Step "A fresh store: $StorePath"
Show-Command 'New-MmsSampleTenant'
New-MmsSampleTenant | Show-Object

Show-Step 'The user of the seed example'
Show-Command 'Get-CsOnlineUser -Identity John@contoso.com | Format-List ...'
Get-CsOnlineUser -Identity John@contoso.com |
    Format-List UserPrincipalName, SipAddress, DisplayName, WindowsDomainLogon, DistinguishedName, TeamsUpgradeEffectiveMode |
    Show-Object

$before = Get-MmsMeeting -Identity John@contoso.com | Where-Object MeetingType -eq 'SfbOnPrem' | Select-Object -First 1

Show-Step 'Start-CsExMeetingMigration -Identity John@contoso.com'
$status = Start-CsExMeetingMigration -Identity John@contoso.com
$status | Show-Object
Write-Host "Queued as $($status.MigrationType) (CorrelationId $($status.CorrelationId)); the worker in this process takes it."

Show-Step 'The worker takes it: progress until it finishes'
do {
    $current = Get-CsMeetingMigrationStatus -Identity John@contoso.com | Select-Object -Last 1
    $percent = if ($current.TotalMeeting) { 100 * ($current.SucceededMeeting + $current.FailedMeeting) / $current.TotalMeeting } else { 0 }
    Write-Progress -Activity 'Meeting migration for John@contoso.com' -Status "$($current.State): $($current.SucceededMeeting + $current.FailedMeeting) of $($current.TotalMeeting) meetings" -PercentComplete $percent
    Start-Sleep -Milliseconds 200
} while ($current.State -in 'Pending', 'InProgress')
Write-Progress -Activity 'Meeting migration for John@contoso.com' -Completed
$current | Format-List UserPrincipalName, State, TotalMeeting, SucceededMeeting, FailedMeeting, InvitesUpdate, LastMessage | Show-Object

if ($current.FailedMeeting -gt 0) {
    Show-Step "Why $($current.FailedMeeting) meeting could not be migrated: the per-meeting outcomes"
    Write-Host @'
Meetings with more than 250 attendees are not migrated: the Meeting Migration
Service leaves them to their organizer and counts them as failed
(FailedMeeting), with the reason. Piped back into Get-CsMeetingMigrationStatus,
a status record comes back in detail, with one outcome per meeting in its
Meetings property:
'@
    Show-Command ("Get-CsMeetingMigrationStatus -Identity John@contoso.com | Get-CsMeetingMigrationStatus |`n" +
        "    Select-Object -ExpandProperty Meetings | Where-Object Outcome -eq Failed | Format-List")
    Get-CsMeetingMigrationStatus -Identity John@contoso.com | Get-CsMeetingMigrationStatus |
        Select-Object -ExpandProperty Meetings | Where-Object Outcome -eq Failed | Format-List | Show-Object
    Show-Command 'Get-MmsMeeting -Identity John@contoso.com | Where-Object AttendeeCount -gt 250'
    Get-MmsMeeting -Identity John@contoso.com | Where-Object AttendeeCount -gt 250 | Show-Object
}

Show-Step 'The same as a job'
Show-Command "Start-CsExMeetingMigration kenmyer@litwareinc.com -SourceMeetingType SfB ``
    -TargetMeetingType Teams -AsJob"
$job = Start-CsExMeetingMigration kenmyer@litwareinc.com -SourceMeetingType SfB -TargetMeetingType Teams -AsJob
Write-Host "Job $($job.Id): $($job.State), one child job per user ($($job.ChildJobs.Count))."
Show-Command 'Receive-Job $job -Wait -AutoRemoveJob'
Receive-Job $job -Wait -AutoRemoveJob | Show-Object

Show-Step 'Get-CsMeetingMigrationStatus'
Show-Command 'Get-CsMeetingMigrationStatus'
Get-CsMeetingMigrationStatus | Show-Object
Write-Host 'More columns: Format-Table -View Detailed, or Format-List for every field.'
Show-Command 'Get-CsMeetingMigrationStatus -SummaryOnly'
Get-CsMeetingMigrationStatus -SummaryOnly | Show-Object

Show-Step "One of John's meetings before and after: $($before.Subject)"
$after = Get-MmsMeeting -Identity John@contoso.com | Where-Object MeetingId -eq $before.MeetingId
Write-Host "Before ($($before.MeetingType)):" -ForegroundColor Yellow
Write-Host $before.OnlineMeetingBlock
Write-Host "After ($($after.MeetingType)):" -ForegroundColor Yellow
Write-Host $after.OnlineMeetingBlock
