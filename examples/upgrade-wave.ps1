#Requires -Version 7.4
<#
.SYNOPSIS
    Rehearses an upgrade wave of a hybrid tenant with the Meeting Migration Service, in a minute.

.DESCRIPTION
    Against the store $env:MEETING_MIGRATION_STORE names (or the default store): creates the hybrid
    sample tenant (1,000 users, some homed on Skype for Business Server, a few whose migrations
    fail), runs the tenant's hold, back-off and retry window -TimeScale times faster, then
      1. licenses the wave (Set-MmsUserLicense; a licence the user already has starts nothing),
      2. moves its on-premises users to Teams (Move-CsUser: each move queues a migration),
         and upgrades its online users (Grant-CsTeamsUpgradePolicy UpgradeToTeams),
      3. watches the migrations those changes started (Get-CsMeetingMigrationStatus -TriggeredBy),
      4. finds the failed users with Microsoft's recipe and fixes their causes,
      5. runs Start-CsExMeetingMigration for them again, and prints the final summary.
    Writes the summary rows (State, UserCount) to the pipeline.
#>
[CmdletBinding()]
param(
    [int] $UserCount = 1000,
    # The wave: the users numbered up to this (John and Ken Myer are not in it).
    [int] $WaveSize = 100,
    [int] $TimeScale = 3600,
    [int] $TimeoutSeconds = 60
)

$ErrorActionPreference = 'Stop'
Import-Module MeetingMigration -ErrorAction SilentlyContinue

function Wait-Wave([datetime] $Since) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (Get-CsMeetingMigrationStatus -StartTime $Since | Where-Object State -In Pending, InProgress) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "The wave's migrations did not end within $TimeoutSeconds s." }
        Start-Sleep -Milliseconds 200
    }
}

$tenant = New-MmsSampleTenant -UserCount $UserCount -MeetingsPerUser 2 -Confirm:$false
Set-MmsTenant -Tenant $tenant.TenantId -Default -Confirm:$false
# Real MMS holds each request 90 minutes; at this time scale that is a few seconds.
Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true -HoldMinutes 90 -TimeScale $TimeScale -Confirm:$false
$start = [DateTime]::UtcNow

$wave = 1..$WaveSize | ForEach-Object { Get-CsOnlineUser -Identity "user$_@contoso.com" } |
    Where-Object AccountType -In User, SfBOnPremUser
$onPremises = @($wave | Where-Object AccountType -EQ SfBOnPremUser)
$online = @($wave | Where-Object AccountType -EQ User)
Write-Host "Wave: $($wave.Count) users, $($onPremises.Count) of them homed on-premises."

# 1. Licence first, as Microsoft advises: a move then migrates the meetings once.
$wave | Set-MmsUserLicense -AudioConferencing $true -Confirm:$false
# 2. Move the on-premises users; upgrade the online ones.
$onPremises | ForEach-Object { Move-CsUser -Identity $_.UserPrincipalName -Target sipfed.online.lync.com -Confirm:$false }
$online | Grant-CsTeamsUpgradePolicy -PolicyName UpgradeToTeams -Confirm:$false

# 3. What the changes started.
Get-CsMeetingMigrationStatus -StartTime $start | Group-Object TriggeredBy -NoElement | Format-Table Name, Count | Out-Host
Wait-Wave $start

# 4. Microsoft's recipe.
$failed = @(Get-CsMeetingMigrationStatus -StartTime $start | Where-Object State -EQ Failed)
Get-CsMeetingMigrationStatus -StartTime $start | Where-Object State -EQ Failed | Format-Table UserPrincipalName, LastMessage -Wrap | Out-Host
foreach ($request in $failed) {
    if ($request.LastMessage -like '*Exchange on-premises*') {
        Set-MmsUser -Identity $request.UserPrincipalName -MailboxLocation ExchangeOnline -Confirm:$false
    }
}
if ($failed | Where-Object LastMessage -Like '*third-party audio-conferencing provider*') {
    Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyReplaceAcpProvider $true -Confirm:$false
}
# Meetings whose online details were pasted from another meeting: their organisers re-create them.
foreach ($request in $failed | Where-Object LastMessage -Like '*pasted from another meeting*') {
    $request | Get-CsMeetingMigrationStatus | ForEach-Object Meetings | Where-Object Message -Like 'Pasted online-meeting block*' |
        Set-MmsMeeting -Identity $request.UserPrincipalName -NewOnlineMeeting -Confirm:$false
}

# 5. Again for the failed users, then the summary of the rerun and of the whole wave.
$rerun = [DateTime]::UtcNow
$null = $failed.UserPrincipalName | Start-CsExMeetingMigration -SourceMeetingType SfB -TargetMeetingType Teams -Confirm:$false
Wait-Wave $rerun
$stillFailed = @(Get-CsMeetingMigrationStatus -StartTime $rerun | Where-Object State -EQ Failed)
Write-Host "Failed after the fixes: $($stillFailed.Count) of $($failed.Count)."
Get-CsMeetingMigrationStatus -StartTime $rerun -SummaryOnly
