# Rehearsing an upgrade: what started each request (TriggeredBy), the time scale, fault injection,
# the sample tenant's failures with Microsoft's recipe and their fixes, and the changes that start
# migrations on their own (Set-MmsUserLicense, Move-CsUser, Grant-CsTeamsUpgradePolicy) with the
# documented non-triggers.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 100 -MeetingsPerUser 2

    # The newest request of a user.
    function Get-LatestRequest([string] $Identity) {
        Get-CsMeetingMigrationStatus -Identity $Identity | Select-Object -Last 1
    }
}

AfterAll {
    Remove-TestStore $script:Store
}

Describe 'TriggeredBy and the time scale' {
    AfterEach { Set-CsTenantMigrationConfiguration -HoldMinutes 0 -TimeScale 1 -Confirm:$false }

    It 'records Admin for Start-CsExMeetingMigration and filters on it' {
        $started = Start-CsExMeetingMigration -Identity user2@contoso.com -Confirm:$false
        $started.TriggeredBy | Should -Be 'Admin'
        Wait-MigrationIdle -Identity user2@contoso.com
        $admin = @(Get-CsMeetingMigrationStatus -TriggeredBy Admin)
        $admin.CorrelationId | Should -Contain $started.CorrelationId
        @(Get-CsMeetingMigrationStatus -TriggeredBy UserMove | Where-Object CorrelationId -EQ $started.CorrelationId) | Should -BeNullOrEmpty
        { Get-CsMeetingMigrationStatus -TriggeredBy Nobody } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        (Get-CsMeetingMigrationStatus -CorrelationId $started.CorrelationId | Format-List | Out-String) | Should -Match 'TriggeredBy\s*:\s*Admin'
    }

    It 'sets -TimeScale, which divides the hold time' {
        (Set-CsTenantMigrationConfiguration -HoldMinutes 60 -TimeScale 3600 -PassThru -Confirm:$false).TimeScale | Should -Be 3600
        (Get-CsTenantMigrationConfiguration | Format-List | Out-String) | Should -Match 'TimeScale\s*:\s*3600'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $started = Start-CsExMeetingMigration -Identity user3@contoso.com -Confirm:$false
        Wait-MigrationIdle -Identity user3@contoso.com
        (Get-LatestRequest user3@contoso.com).State | Should -Be 'Succeeded'
        # An hour of hold is a second at this scale.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
        $started.CreateDate | Should -BeLessThan (Get-LatestRequest user3@contoso.com).ModifiedDate
        { Set-CsTenantMigrationConfiguration -TimeScale 0 -Confirm:$false } | Should -Throw -ErrorId 'MeetingMigration.InvalidArgument*'
    }
}

Describe 'Fault injection' {
    AfterEach {
        Set-MmsFaultInjection -Off -Confirm:$false
        Set-CsTenantMigrationConfiguration -TimeScale 1 -Confirm:$false
    }

    It 'is off by default and set per tenant' {
        $off = Get-MmsFaultInjection
        $off.TransientFailureRate | Should -Be 0
        $off.PermanentFailureRate | Should -Be 0
        $set = Set-MmsFaultInjection -TransientFailureRate 0.25 -PermanentFailureRate 0.5 -Seed 42 -PassThru -Confirm:$false
        $set.TransientFailureRate | Should -Be 0.25
        $set.PermanentFailureRate | Should -Be 0.5
        (Get-MmsFaultInjection).Seed | Should -Be 42
        { Set-MmsFaultInjection -TransientFailureRate 2 -Confirm:$false } | Should -Throw -ErrorId 'MeetingMigration.InvalidArgument*'
        Set-MmsFaultInjection -TransientFailureRate 1 -WhatIf
        (Get-MmsFaultInjection).TransientFailureRate | Should -Be 0.25
    }

    It 'takes a piped record''s rates and seed, as its property names are the parameter names' {
        Set-MmsFaultInjection -TransientFailureRate 0.125 -PermanentFailureRate 0.0625 -Seed 7 -Confirm:$false
        $copy = Get-MmsFaultInjection
        Set-MmsFaultInjection -Off -Confirm:$false
        $copy | Set-MmsFaultInjection -Confirm:$false
        $now = Get-MmsFaultInjection
        ($now.TransientFailureRate, $now.PermanentFailureRate, $now.Seed) | Should -Be @(0.125, 0.0625, 7)
    }

    It 'fails batches through the retry path: nine retries, then Failed' {
        Set-CsTenantMigrationConfiguration -TimeScale 3600 -Confirm:$false
        Set-MmsFaultInjection -TransientFailureRate 1 -Seed 1 -Confirm:$false
        $null = Start-CsExMeetingMigration -Identity user4@contoso.com -Confirm:$false
        Wait-MigrationIdle -Identity user4@contoso.com
        $done = Get-LatestRequest user4@contoso.com
        $done.State | Should -Be 'Failed'
        $done.RetryCount | Should -Be 9
        $done.LastMessage | Should -BeLike 'Failed after 9 retries: injected by Set-MmsFaultInjection*'
    }

    It 'fails meetings for good with a permanent rate' {
        Set-MmsFaultInjection -PermanentFailureRate 1 -Confirm:$false
        $null = Start-CsExMeetingMigration -Identity user5@contoso.com -Confirm:$false
        Wait-MigrationIdle -Identity user5@contoso.com
        $done = Get-LatestRequest user5@contoso.com | Get-CsMeetingMigrationStatus
        $done.State | Should -Be 'Succeeded'
        $done.FailedMeeting | Should -Be $done.TotalMeeting
        $done.Meetings.Message | Should -BeLike 'Injected by Set-MmsFaultInjection*'
    }
}

Describe "Microsoft's failure recipe" {
    It 'lists the failed users with their causes, and none once the causes are fixed' {
        $null = 1..100 | ForEach-Object { "user$_@contoso.com" } | Start-CsExMeetingMigration -Confirm:$false -WarningAction SilentlyContinue
        Wait-MigrationIdle
        $recipe = Get-CsMeetingMigrationStatus | Where-Object State -EQ Failed | Format-Table UserPrincipalName, LastMessage | Out-String -Width 200
        $failed = @(Get-CsMeetingMigrationStatus | Where-Object State -EQ Failed | Where-Object LastMessage -NotLike '*Set-MmsFaultInjection*')
        @($failed.UserPrincipalName | Sort-Object -Unique) | Should -Be @(
            'user19@contoso.com', 'user27@contoso.com', 'user48@contoso.com', 'user56@contoso.com', 'user7@contoso.com',
            'user70@contoso.com', 'user89@contoso.com', 'user93@contoso.com')
        $recipe | Should -Match 'user7@contoso\.com\s+The mailbox of user7@contoso\.com is in Exchange on-premises'
        $recipe | Should -Match 'user19@contoso\.com\s+user19@contoso\.com uses the third-party audio-conferencing provider InterCall'
        $recipe | Should -Match "user27@contoso\.com\s+1 of 2 meetings have an online-meeting block pasted from another meeting and were not migrated: 'Follow-up \(online details pasted\)'"

        # The fixes the messages name.
        $failed | Where-Object LastMessage -Like '*Exchange on-premises*' |
            ForEach-Object { Set-MmsUser -Identity $_.UserPrincipalName -MailboxLocation ExchangeOnline -Confirm:$false }
        Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyReplaceAcpProvider $true -Confirm:$false
        foreach ($request in $failed | Where-Object LastMessage -Like '*pasted from another meeting*') {
            $request | Get-CsMeetingMigrationStatus | ForEach-Object Meetings | Where-Object Message -Like 'Pasted online-meeting block*' |
                Set-MmsMeeting -Identity $request.UserPrincipalName -NewOnlineMeeting -Confirm:$false
        }
        (Get-CsOnlineUser -Identity user7@contoso.com).MailboxLocation | Should -Be 'ExchangeOnline'
        $meetings = @(Get-MmsMeeting -Identity user27@contoso.com)
        @($meetings.JoinUrl | Sort-Object -Unique).Count | Should -Be $meetings.Count
        $fixedAt = (Get-Date).ToUniversalTime()
        $null = $failed.UserPrincipalName | Sort-Object -Unique | Start-CsExMeetingMigration -Confirm:$false
        Wait-MigrationIdle
        @(Get-CsMeetingMigrationStatus -StartTime $fixedAt | Where-Object State -EQ Failed) | Should -BeNullOrEmpty
        @(Get-CsMeetingMigrationStatus -StartTime $fixedAt | Where-Object State -EQ Succeeded).Count | Should -Be 8
        Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyReplaceAcpProvider $false -Confirm:$false
    }
}

Describe 'Changes that start migrations' {
    BeforeAll { Set-CsTenantMigrationConfiguration -HoldMinutes 60 -Confirm:$false }
    AfterAll {
        Set-CsTenantMigrationConfiguration -HoldMinutes 0 -MeetingMigrationEnabled $true -Confirm:$false
        Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyMigrateUserMeetings $true -Confirm:$false
    }

    It 'Set-MmsUserLicense starts a License migration; the same licence again starts none' {
        $user = Set-MmsUserLicense -Identity user21@contoso.com -AudioConferencing $false -PassThru -Confirm:$false
        $user.AssignedPlan.Capability | Should -Not -Contain 'MCOMEETADV'
        $request = Get-CsMeetingMigrationStatus -Identity user21@contoso.com -TriggeredBy License
        $request.MigrationType | Should -Be 'ToSameType'
        $request.State | Should -Be 'Pending'
        Set-MmsUserLicense -Identity user21@contoso.com -AudioConferencing $false -Confirm:$false
        @(Get-CsMeetingMigrationStatus -Identity user21@contoso.com -State Pending).Count | Should -Be 1
    }

    It 'returns the open request to a second trigger, with a warning, and queues nothing' {
        Set-MmsUserLicense -Identity user21@contoso.com -AudioConferencing $true -WarningVariable warned -WarningAction SilentlyContinue -Confirm:$false
        "$warned" | Should -BeLike '*already has a Pending meeting migration*TriggeredBy License*'
        @(Get-CsMeetingMigrationStatus -Identity user21@contoso.com -TriggeredBy License).Count | Should -Be 1
    }

    It 'Set-MmsUserLicense starts nothing when AutomaticallyMigrateUserMeetings is off' {
        Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyMigrateUserMeetings $false -Confirm:$false
        Set-MmsUserLicense -Identity user23@contoso.com -AudioConferencing $false -Verbose -Confirm:$false 4>&1 |
            Out-String | Should -Match 'AutomaticallyMigrateUserMeetings is False'
        @(Get-CsMeetingMigrationStatus -Identity user23@contoso.com -TriggeredBy License) | Should -BeNullOrEmpty
        Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyMigrateUserMeetings $true -Confirm:$false
    }

    It 'Move-CsUser homes an on-premises user online and starts a UserMove migration of its Skype meetings' {
        $before = Get-CsOnlineUser -Identity user34@contoso.com
        $before.AccountType | Should -Be 'SfBOnPremUser'
        $moved = Move-CsUser -Identity user34@contoso.com -Target sipfed.online.lync.com -MoveToTeams -BypassAudioConferencingCheck -UseOAuth -Force -PassThru -Confirm:$false
        $moved.TeamsUpgradeEffectiveMode | Should -Be 'TeamsOnly'
        $moved.HostingProvider | Should -Be 'sipfed.online.lync.com'
        $request = Get-CsMeetingMigrationStatus -Identity user34@contoso.com -TriggeredBy UserMove
        $request.MigrationType | Should -Be 'SfbToTeams'
        { Move-CsUser -Identity user34@contoso.com -Target sipfed.online.lync.com -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*already homed online*'
        { Move-CsUser -Identity user51@contoso.com -Target pool01.contoso.com -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*only moves to Microsoft 365*'
    }

    It 'Move-CsUser -WhatIf changes nothing' {
        Move-CsUser -Identity user51@contoso.com -Target sipfed.online.lync.com -WhatIf
        (Get-CsOnlineUser -Identity user51@contoso.com).AccountType | Should -Be 'SfBOnPremUser'
    }

    It 'Move-CsUser moves but starts nothing with MeetingMigrationEnabled off' {
        Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $false -Confirm:$false
        (Move-CsUser -Identity user51@contoso.com -Target sipfed.online.lync.com -PassThru -Confirm:$false).TeamsUpgradeEffectiveMode | Should -Be 'TeamsOnly'
        @(Get-CsMeetingMigrationStatus -Identity user51@contoso.com -TriggeredBy UserMove) | Should -BeNullOrEmpty
        Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true -Confirm:$false
    }

    It 'Grant-CsTeamsUpgradePolicy UpgradeToTeams starts an UpgradePolicy migration; a collaboration mode does not' {
        # user31 is Islands in the sample.
        Get-CsOnlineUser -Identity user31@contoso.com | Grant-CsTeamsUpgradePolicy -PolicyName SfBWithTeamsCollab -Confirm:$false
        @(Get-CsMeetingMigrationStatus -Identity user31@contoso.com -TriggeredBy UpgradePolicy) | Should -BeNullOrEmpty
        $user = Grant-CsTeamsUpgradePolicy -Identity user31@contoso.com -PolicyName Tag:UpgradeToTeams -PassThru -Confirm:$false
        $user.TeamsUpgradePolicy | Should -Be 'UpgradeToTeams'
        $user.TeamsUpgradeEffectiveMode | Should -Be 'TeamsOnly'
        (Get-CsMeetingMigrationStatus -Identity user31@contoso.com -TriggeredBy UpgradePolicy).MigrationType | Should -Be 'SfbToTeams'
    }

    It 'Set-CsOnlineDialInConferencingUser -ServiceNumber starts an AudioConferencing migration; -ResetLeaderPin does not' {
        Set-CsOnlineDialInConferencingUser -Identity user24@contoso.com -ResetLeaderPin -AllowTollFreeDialIn $true -Confirm:$false
        @(Get-CsMeetingMigrationStatus -Identity user24@contoso.com -TriggeredBy AudioConferencing) | Should -BeNullOrEmpty
        $user = Set-CsOnlineDialInConferencingUser -Identity user24@contoso.com -ServiceNumber tel:+14255550177 -PassThru -Confirm:$false
        $user.AudioConferencingTollNumber | Should -Be '+14255550177'
        (Get-CsMeetingMigrationStatus -Identity user24@contoso.com -TriggeredBy AudioConferencing).MigrationType | Should -Be 'ToSameType'
        { Set-CsOnlineDialInConferencingUser -Identity user24@contoso.com -ServiceNumber 'call me' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'MeetingMigration.InvalidArgument*'
    }

    It 'Get-CsTeamsUpgradePolicy lists the built-in instances and their modes' {
        $all = @(Get-CsTeamsUpgradePolicy)
        $all.Count | Should -Be 10
        $all.Identity | Should -Contain 'Global'
        (Get-CsTeamsUpgradePolicy -Identity UpgradeToTeams).Mode | Should -Be 'TeamsOnly'
        (Get-CsTeamsUpgradePolicy -Identity Tag:SfBWithTeamsCollabAndMeetingsWithNotify).NotifySfbUsers | Should -BeTrue
        @(Get-CsTeamsUpgradePolicy -Filter '*WithNotify').Count | Should -Be 4
        @(Get-CsTeamsUpgradePolicy -Identity NoSuchPolicy) | Should -BeNullOrEmpty
    }

    It 'about_MeetingMigration explains triggers and their switches' {
        $about = Get-Help about_MeetingMigration | Out-String
        $about | Should -Match 'TRIGGERS'
        foreach ($word in 'UserMove', 'UpgradePolicy', 'License', 'AutomaticallyMigrateUserMeetings', 'MigrateMeetingsToTeams', 'TimeScale') {
            $about | Should -Match $word
        }
    }

    It 'Grant-CsTeamsUpgradePolicy accepts -MigrateMeetingsToTeams with a warning naming Start-CsExMeetingMigration' {
        Grant-CsTeamsUpgradePolicy -Identity user36@contoso.com -PolicyName Islands -MigrateMeetingsToTeams $true -WarningVariable warned -WarningAction SilentlyContinue -Confirm:$false
        "$warned" | Should -BeLike '*no longer supported*Start-CsExMeetingMigration*'
        { Grant-CsTeamsUpgradePolicy -Identity user36@contoso.com -PolicyName NoSuchMode -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*UpgradeToTeams*'
    }
}
