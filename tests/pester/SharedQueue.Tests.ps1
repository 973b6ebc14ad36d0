# One queue shared by separate processes: two pwsh sessions start overlapping sets of users at the
# same moment and each sees the other's requests; two mms-worker processes then work the queue
# alone and rewrite every meeting once. Runs on the SQLite file and, in build.ps1 Test's second
# run, on a PostgreSQL database (the shared store this is for).

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 200 -MeetingsPerUser 3
    $script:Scratch = New-TestScratch
    $script:Worker = Join-Path $PSScriptRoot "../../target/release/mms-worker$($IsWindows ? '.exe' : '')"
    # A hold time keeps the sessions' own in-process workers off the queue while they start and
    # look; it is ended behind the API's back once they have gone, so the mms-workers do the work.
    Set-CsTenantMigrationConfiguration -HoldMinutes 30 -Confirm:$false
    # The sample's users whose migrations fail on purpose (an on-premises mailbox, a third-party
    # audio-conferencing provider) are mended: every request here is to succeed. The providers are
    # replaced by the tenant switch, not removed user by user: a change of provider to Microsoft
    # starts a migration of its own, which would leave requests queued before the race.
    Get-CsOnlineUser -Filter "MailboxLocation -eq 'ExchangeOnPremises'" |
        Set-MmsUser -MailboxLocation ExchangeOnline -Confirm:$false
    Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyReplaceAcpProvider $true -Confirm:$false
    # Meetings sharing a join link get online meetings of their own: the pasted copy a new one, the
    # original the one it has (a meeting's own online meeting is derived from the meeting alone).
    1..100 | ForEach-Object { Get-MmsMeeting -Identity "user$_@contoso.com" | Group-Object JoinUrl | Where-Object Count -GT 1 } |
        ForEach-Object Group | Set-MmsMeeting -NewOnlineMeeting -Confirm:$false
    # This test's own session leaves the store to the processes under test.
    Remove-Module MeetingMigration -Force

    # One admin's session: waits for the go file, starts users First..Last in one pipeline, then
    # reads the queue until it holds Expected requests; writes what it got as JSON.
    $script:Session = Join-Path $script:Scratch 'Session.ps1'
    Set-Content $script:Session @'
param([string] $Store, [string] $Module, [int] $First, [int] $Last, [int] $Expected, [string] $Go, [string] $Out)
$ErrorActionPreference = 'Stop'
$env:MEETING_MIGRATION_STORE = $Store
Import-Module $Module
$result = [ordered]@{ Started = @(); Warnings = 0; Errors = @(); Seen = @() }
try {
    $null = Get-MmsTenant   # opens the store before the race
    $users = $First..$Last | ForEach-Object { "user$_@contoso.com" }
    while (-not (Test-Path $Go)) { Start-Sleep -Milliseconds 10 }
    $started = $users | Start-CsExMeetingMigration -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures `
        -WarningAction SilentlyContinue -WarningVariable warnings
    $result.Started = @($started | ForEach-Object { @{ Upn = $_.UserPrincipalName; Id = "$($_.CorrelationId)" } })
    $result.Warnings = @($warnings).Count
    $result.Errors = @($failures | ForEach-Object { "$_" })
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    do {
        $seen = @(Get-CsMeetingMigrationStatus)
        if ($seen.Count -ge $Expected) { break }
        Start-Sleep -Milliseconds 100
    } while ([DateTime]::UtcNow -lt $deadline)
    $result.Seen = @($seen | ForEach-Object { "$($_.CorrelationId)" })
}
catch { $result.Errors += "$_" }
$result | ConvertTo-Json -Depth 4 | Set-Content $Out
'@
}

AfterAll {
    foreach ($worker in @($script:Workers)) {
        if ($worker -and -not $worker.HasExited) { $worker.Kill() }
    }
    Remove-TestStore $script:Store -Scratch $script:Scratch
}

Describe 'Two pwsh sessions and two mms-worker processes on one store' {
    BeforeAll {
        $go = Join-Path $script:Scratch 'go'
        $sessions = foreach ($range in @(1, 150), @(51, 200)) {
            $name = "session-$($range[0])"
            $out = Join-Path $script:Scratch "$name.json"
            $process = Start-Process $script:Pwsh -PassThru -RedirectStandardOutput "$out.stdout" -RedirectStandardError "$out.stderr" -ArgumentList @(
                '-NoProfile', '-NonInteractive', '-File', $script:Session, '-Store', $script:Store, '-Module', $script:MmsModulePath,
                '-First', $range[0], '-Last', $range[1], '-Expected', 200, '-Go', $go, '-Out', $out)
            @{ Process = $process; Out = $out }
        }
        # Both sessions load the module and open the store; then both start at once.
        Start-Sleep -Seconds 2
        $null = New-Item $go
        foreach ($s in $sessions) {
            if (-not $s.Process.WaitForExit(180000)) { $s.Process.Kill(); throw "A pwsh session did not finish in 180 s." }
        }
        $script:Results = @($sessions | ForEach-Object {
                if (-not (Test-Path $_.Out)) { throw "A pwsh session wrote nothing: $(Get-Content -Raw "$($_.Out).stderr")" }
                Get-Content -Raw $_.Out | ConvertFrom-Json
            })

        $script:Workers = foreach ($n in 1, 2) {
            Start-Process $script:Worker -PassThru -ArgumentList '--store', $script:Store, '--poll-ms', '50' `
                -RedirectStandardOutput (Join-Path $script:Scratch "worker$n.out") -RedirectStandardError (Join-Path $script:Scratch "worker$n.err")
        }
        # Only the mms-workers have the store open now: the hold time ends for every request.
        $null = Invoke-StoreSql $script:Store "UPDATE requests SET not_before = 0 WHERE state = 'Pending'"
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        do {
            $script:Open = [int](Invoke-StoreSql $script:Store "SELECT count(*) FROM requests WHERE state IN ('Pending', 'InProgress')")
            if ($script:Open -eq 0) { break }
            Start-Sleep -Milliseconds 200
        } while ([DateTime]::UtcNow -lt $deadline)
    }

    It 'gives each session every request without an error' {
        foreach ($result in $script:Results) {
            $result.Errors | Should -BeNullOrEmpty
        }
        $script:Results[0].Started | Should -HaveCount 150
        $script:Results[1].Started | Should -HaveCount 150
    }

    It 'queues one request per user: an overlapping user gets the same request in both sessions' {
        $byUser = @{}
        foreach ($started in $script:Results.Started) {
            if ($byUser.ContainsKey($started.Upn)) { $started.Id | Should -Be $byUser[$started.Upn] -Because $started.Upn }
            else { $byUser[$started.Upn] = $started.Id }
        }
        $byUser.Count | Should -Be 200
        @($byUser.Values | Sort-Object -Unique) | Should -HaveCount 200
        # Each of the 100 overlapping users was queued by one session and returned to the other.
        ($script:Results[0].Warnings + $script:Results[1].Warnings) | Should -Be 100
        [int](Invoke-StoreSql $script:Store 'SELECT count(*) FROM requests') | Should -Be 200
    }

    It "shows each session the other's requests" {
        foreach ($pair in @(0, 1), @(1, 0)) {
            $seen = $script:Results[$pair[0]].Seen
            $seen | Should -HaveCount 200
            foreach ($id in $script:Results[$pair[1]].Started.Id) { $seen | Should -Contain $id }
        }
    }

    It 'lets the mms-workers finish every request' {
        $script:Open | Should -Be 0
        Invoke-StoreSql $script:Store "SELECT count(*) FROM requests WHERE state <> 'Succeeded'" |
            Should -Be 0 -Because (Invoke-StoreSql $script:Store "SELECT upn || ': ' || last_message FROM requests WHERE state <> 'Succeeded'")
        Invoke-StoreSql $script:Store 'SELECT count(*) FROM requests WHERE succeeded_meeting + failed_meeting <> total_meeting' |
            Should -Be 0
    }

    It 'rewrites every meeting of a request once, and no other' {
        [int](Invoke-StoreSql $script:Store "SELECT count(*) FROM outcomes WHERE outcome = 'Succeeded'") | Should -BeGreaterThan 200
        Invoke-StoreSql $script:Store "SELECT count(*) FROM meetings m WHERE m.rewrite_count <>
            (SELECT count(*) FROM outcomes o WHERE o.meeting = m.key AND o.outcome = 'Succeeded')" | Should -Be 0
    }

    It 'shows a session what the workers did' {
        Import-Module $script:MmsModulePath -Force
        $summary = Get-CsMeetingMigrationStatus -SummaryOnly
        ($summary | Where-Object State -EQ 'Succeeded').UserCount | Should -Be 200
        Remove-Module MeetingMigration -Force
    }

    It 'stops each mms-worker cleanly on SIGTERM' {
        foreach ($worker in $script:Workers) {
            & kill -TERM $worker.Id
            $worker.WaitForExit(30000) | Should -BeTrue
            $worker.ExitCode | Should -Be 0
        }
        foreach ($n in 1, 2) {
            $log = Get-Content -Raw (Join-Path $script:Scratch "worker$n.err")
            $log | Should -Match 'mms-worker: working on'
            $log | Should -Not -Match 'fail|error'
        }
    }
}
