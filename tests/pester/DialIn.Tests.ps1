# Audio conferencing and the rest of the MMS triggers (issue 13): Get-CsOnlineDialInConferencingUser,
# Set-CsOnlineDialInConferencingUserDefaultNumber, a provider change to Microsoft, a licence after a
# move, Move-CsUser -UserList and Grant-CsTeamsUpgradePolicy -Global / -Group, each against a real
# store with Microsoft's documented examples run as written (the sample's users for Microsoft's).
#
# In the sample, numbered users are licensed for Audio Conferencing unless Guest (n % 11) or
# IneligibleUser (n % 19); users 19, 56 and 93 use the provider InterCall; users 17, 34, 51, 68
# and 85 are homed on-premises; no numbered user has numbers of its own (the bridge's apply).

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 100 -MeetingsPerUser 2
    $script:Scratch = New-TestScratch

    # The users of Microsoft audio conferencing, worked out here from Get-CsOnlineUser.
    function Get-ExpectedDialInUser {
        Get-CsOnlineUser -ResultSize Unlimited |
            Where-Object { $_.AssignedPlan.Capability -contains 'MCOMEETADV' -and -not $_.AudioConferencingProvider }
    }
}

AfterAll {
    Remove-TestStore $script:Store -Scratch $script:Scratch
}

Describe 'Get-CsOnlineDialInConferencingUser' {
    It "runs Microsoft's example: one user's bridge and service number" {
        $ken = Get-CsOnlineDialInConferencingUser -Identity kenmyer@litwareinc.com
        $ken.UserPrincipalName | Should -Be 'kenmyer@litwareinc.com'
        $ken.BridgeId | Should -Not -Be ([guid]::Empty)
        $ken.BridgeName | Should -Be 'Conference Bridge'
        $ken.ServiceNumber | Should -Be '+1 206 555 0142'            # his own
        $ken.TollFreeServiceNumber | Should -Be '+1 800 555 0100'    # the bridge's
        $ken.AllowTollFreeDialIn | Should -BeTrue
        $ken.TenantId | Should -Be (Get-CsOnlineUser -Identity kenmyer@litwareinc.com).TenantId
        foreach ($name in 'Identity', 'DisplayName', 'SipAddress', 'AllowPSTNOnlyMeetings') {
            $ken.PSObject.Properties.Name | Should -Contain $name
        }
    }

    It 'lists exactly the licensed users without a third-party provider, in one bridge' {
        $listed = @(Get-CsOnlineDialInConferencingUser)
        $expected = @(Get-ExpectedDialInUser)
        $listed.Count | Should -BeGreaterThan 50
        @($listed.UserPrincipalName | Sort-Object) | Should -Be @($expected.UserPrincipalName | Sort-Object)
        $listed.UserPrincipalName | Should -Not -Contain 'user56@contoso.com'   # InterCall
        $listed.UserPrincipalName | Should -Not -Contain 'user11@contoso.com'   # a guest
        @($listed.BridgeId | Sort-Object -Unique).Count | Should -Be 1
        Get-CsOnlineDialInConferencingUser -Identity user56@contoso.com | Should -BeNullOrEmpty
        { Get-CsOnlineDialInConferencingUser -Identity nobody@contoso.com -ErrorAction Stop } |
            Should -Throw -ErrorId 'MeetingMigration.IdentityNotFound*'
    }

    It 'narrows by -ServiceNumber, -LdapFilter, -BridgeId and -BridgeName, and limits by -ResultSize' {
        $bridge = (Get-CsOnlineDialInConferencingUser -Identity kenmyer@litwareinc.com).BridgeId
        @(Get-CsOnlineDialInConferencingUser -ServiceNumber 'tel:+12065550142').UserPrincipalName | Should -Be @('kenmyer@litwareinc.com')
        $bridgeNumber = @(Get-CsOnlineDialInConferencingUser -ServiceNumber 14255550100)
        $bridgeNumber.Count | Should -Be (@(Get-CsOnlineDialInConferencingUser).Count - 1)
        $london = @(Get-CsOnlineDialInConferencingUser -LdapFilter '(l=London)')
        $london.Count | Should -BeGreaterThan 0
        foreach ($user in $london) { (Get-CsOnlineUser -Identity $user.UserPrincipalName).City | Should -Be 'London' }
        @(Get-CsOnlineDialInConferencingUser -LdapFilter 'userPrincipalName=user1*@contoso.com').UserPrincipalName |
            ForEach-Object { $_ | Should -BeLike 'user1*' }
        @(Get-CsOnlineDialInConferencingUser -ResultSize 3).Count | Should -Be 3
        @(Get-CsOnlineDialInConferencingUser -ResultSize 0) | Should -BeNullOrEmpty
        @(Get-CsOnlineDialInConferencingUser -BridgeId $bridge -BridgeName 'Conference Bridge' -TenantDomain contoso.com -DomainController dc1 -Force -ResultSize 2).Count | Should -Be 2
        { Get-CsOnlineDialInConferencingUser -BridgeName 'Other Bridge' -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*one audio-conferencing bridge, 'Conference Bridge'*"
        { Get-CsOnlineDialInConferencingUser -BridgeId ([guid]::NewGuid()) -ErrorAction Stop } | Should -Throw -ErrorId 'MeetingMigration.InvalidArgument*'
        { Get-CsOnlineDialInConferencingUser -LdapFilter 'manager=someone' -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*use one of: l, st*'
    }
}

Describe 'Set-MmsMeeting -NewOnlineMeeting' {
    It 'gives a pasted meeting an online meeting of its own, and its migration then succeeds' {
        $before = @(Get-MmsMeeting -Identity user70@contoso.com)
        $copy = $before | Where-Object Subject -Like '*pasted*'
        $original = $before | Where-Object Subject -NotLike '*pasted*' | Where-Object JoinUrl -EQ $copy.JoinUrl
        $original | Should -Not -BeNullOrEmpty
        $started = Start-CsExMeetingMigration -Identity user70@contoso.com -Confirm:$false
        Wait-MigrationIdle -Identity user70@contoso.com
        $failed = $started | Get-CsMeetingMigrationStatus
        $failed.State | Should -Be 'Failed'
        ($failed.Meetings | Where-Object Outcome -EQ Failed).Message | Should -BeLike "Pasted online-meeting block: *pasted from the meeting 'Project meeting'*"

        $copy | Set-MmsMeeting -NewOnlineMeeting -WhatIf
        (Get-MmsMeeting -Identity user70@contoso.com | Where-Object MeetingId -EQ $copy.MeetingId).Body | Should -Be $copy.Body
        $fixed = $copy | Set-MmsMeeting -NewOnlineMeeting -PassThru -Confirm:$false
        $fixed.JoinUrl | Should -Not -Be $copy.JoinUrl
        $fixed.Body.Replace($fixed.OnlineMeetingBlock, '') | Should -Be $copy.Body.Replace($copy.OnlineMeetingBlock, '')
        $again = Start-CsExMeetingMigration -Identity user70@contoso.com -Confirm:$false
        Wait-MigrationIdle -Identity user70@contoso.com
        ($again | Get-CsMeetingMigrationStatus).State | Should -Be 'Succeeded'
    }

    It 'refuses a meeting the user does not organise' {
        $johns = Get-MmsMeeting -Identity John@contoso.com | Select-Object -First 1
        { Set-MmsMeeting -Identity user70@contoso.com -MeetingId $johns.MeetingId -NewOnlineMeeting -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*is not one user70@contoso.com organises*'
    }
}

Describe 'Set-CsOnlineDialInConferencingUserDefaultNumber' {
    BeforeAll {
        Set-CsTenantMigrationConfiguration -HoldMinutes 0 -Confirm:$false
        $script:Bridge = (Get-CsOnlineDialInConferencingUser -ResultSize 1).BridgeId
    }
    AfterAll {
        Set-CsTenantMigrationConfiguration -HoldMinutes 0 -MeetingMigrationEnabled $true -Confirm:$false
        Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyMigrateUserMeetings $true -Confirm:$false
    }

    It 'changes nothing with -WhatIf' {
        Set-CsOnlineDialInConferencingUserDefaultNumber -FromNumber 14255550100 -ToNumber 14255550101 -NumberType Toll -RescheduleMeetings -BridgeId $script:Bridge -WhatIf
        @(Get-CsOnlineDialInConferencingUser -ServiceNumber 14255550101) | Should -BeNullOrEmpty
        @(Get-CsMeetingMigrationStatus -TriggeredBy AudioConferencing) | Should -BeNullOrEmpty
    }

    It "runs Microsoft's example: the users of a number get the new one and a migration each" {
        $users = @(Get-CsOnlineDialInConferencingUser -ServiceNumber 14255550100)
        $online = @($users | Where-Object { (Get-CsOnlineUser -Identity $_.UserPrincipalName).AccountType -ne 'SfBOnPremUser' })
        $online.Count | Should -BeLessThan $users.Count   # the on-premises users change number but start nothing

        Set-CsOnlineDialInConferencingUserDefaultNumber -FromNumber 14255550100 -ToNumber 14255550101 -NumberType Toll -RescheduleMeetings -BridgeId $script:Bridge

        @(Get-CsOnlineDialInConferencingUser -ServiceNumber 14255550100) | Should -BeNullOrEmpty
        @(Get-CsOnlineDialInConferencingUser -ServiceNumber 14255550101).Count | Should -Be $users.Count
        (Get-CsOnlineUser -Identity $users[0].UserPrincipalName).AudioConferencingTollNumber | Should -Be '14255550101'
        (Get-CsOnlineDialInConferencingUser -Identity kenmyer@litwareinc.com).ServiceNumber | Should -Be '+1 206 555 0142'
        $requests = @(Get-CsMeetingMigrationStatus -TriggeredBy AudioConferencing)
        @($requests.UserPrincipalName | Sort-Object) | Should -Be @($online.UserPrincipalName | Sort-Object)
        $requests.MigrationType | Sort-Object -Unique | Should -Be 'ToSameType'
    }

    It "rewrites the changed users' invitations with the new number" {
        Wait-MigrationIdle
        $requests = @(Get-CsMeetingMigrationStatus -TriggeredBy AudioConferencing)
        # The sample's users whose mailbox is on-premises or who have a pasted meeting fail, with that
        # cause; the others succeed.
        $requests | Where-Object State -NE Succeeded |
            ForEach-Object { $_.LastMessage | Should -Match 'Exchange on-premises|pasted from another meeting' }
        @($requests | Where-Object State -EQ Succeeded).Count | Should -BeGreaterThan 50
        $upn = ($requests | Where-Object State -EQ Succeeded | Where-Object FailedMeeting -EQ 0 | Select-Object -First 1).UserPrincipalName
        $blocks = (Get-MmsMeeting -Identity $upn).OnlineMeetingBlock -join "`n"
        $blocks | Should -Match '14255550101,,'
        $blocks | Should -Not -Match '\+1 425 555 0100'
    }

    It 'without -RescheduleMeetings changes the numbers of a country and starts nothing' {
        $before = @(Get-CsMeetingMigrationStatus).Count
        $changed = @(Set-CsOnlineDialInConferencingUserDefaultNumber -BridgeName 'Conference Bridge' -CountryOrRegion FR -ToNumber 18005550199 -NumberType TollFree -AreaOrState 'Ile-de-France' -CapitalOrMajorCity Paris -PassThru)
        $french = @(Get-CsOnlineDialInConferencingUser | Where-Object { (Get-CsOnlineUser -Identity $_.UserPrincipalName).UsageLocation -eq 'FR' })
        $french.Count | Should -BeGreaterThan 0
        @($changed.UserPrincipalName | Sort-Object) | Should -Be @($french.UserPrincipalName | Sort-Object)
        $changed.AudioConferencingTollFreeNumber | Sort-Object -Unique | Should -Be '18005550199'
        $french.TollFreeServiceNumber | Sort-Object -Unique | Should -Be '18005550199'
        (Get-CsOnlineDialInConferencingUser -Identity kenmyer@litwareinc.com).TollFreeServiceNumber | Should -Be '+1 800 555 0100'
        @(Get-CsMeetingMigrationStatus).Count | Should -Be $before
    }

    It 'changes the numbers but starts nothing while <Switch> is off' -ForEach @(
        @{ Switch = 'AutomaticallyMigrateUserMeetings'; Off = { Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyMigrateUserMeetings $false -Confirm:$false } }
        @{ Switch = 'MeetingMigrationEnabled'; Off = { Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $false -Confirm:$false } }
    ) {
        & $Off
        $from = (Get-CsOnlineDialInConferencingUser -Identity user1@contoso.com).TollFreeServiceNumber
        $to = if ($Switch -eq 'MeetingMigrationEnabled') { '18005550111' } else { '18005550122' }
        $before = @(Get-CsMeetingMigrationStatus).Count
        Set-CsOnlineDialInConferencingUserDefaultNumber -BridgeId $script:Bridge -FromNumber $from -ToNumber $to -NumberType TollFree -RescheduleMeetings -Verbose 4>&1 |
            Out-String | Should -Match "$Switch is False"
        (Get-CsOnlineDialInConferencingUser -Identity user1@contoso.com).TollFreeServiceNumber | Should -Be $to
        @(Get-CsMeetingMigrationStatus).Count | Should -Be $before
        Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true -Confirm:$false
        Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyMigrateUserMeetings $true -Confirm:$false
    }

    It 'returns an open request to a second change, with a warning, and refuses bad input' {
        # Ken Myer alone has his own toll number; his first change's request waits in the hold.
        Set-CsTenantMigrationConfiguration -HoldMinutes 60 -Confirm:$false
        Set-CsOnlineDialInConferencingUserDefaultNumber -BridgeId $script:Bridge -FromNumber 12065550142 -ToNumber 12065550143 -NumberType Toll -RescheduleMeetings
        Set-CsOnlineDialInConferencingUserDefaultNumber -BridgeId $script:Bridge -FromNumber 12065550143 -ToNumber 12065550144 -NumberType Toll -RescheduleMeetings -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -BeLike 'kenmyer@litwareinc.com already has a Pending meeting migration*TriggeredBy AudioConferencing*'
        @(Get-CsMeetingMigrationStatus -Identity kenmyer@litwareinc.com -State Pending).Count | Should -Be 1
        (Get-CsOnlineDialInConferencingUser -Identity kenmyer@litwareinc.com).ServiceNumber | Should -Be '12065550144'
        { Set-CsOnlineDialInConferencingUserDefaultNumber -BridgeName 'Other Bridge' -ToNumber 14255550103 -NumberType Toll -ErrorAction Stop } |
            Should -Throw -ErrorId 'MeetingMigration.InvalidArgument*'
        { Set-CsOnlineDialInConferencingUserDefaultNumber -BridgeId $script:Bridge -FromNumber 14255550102 -ToNumber 'call me' -NumberType Toll -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*ToNumber*not a phone number*'
        { Set-CsOnlineDialInConferencingUserDefaultNumber -BridgeId $script:Bridge -FromNumber 14255550102 -ToNumber 14255550103 -NumberType Local } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'A change of provider to Microsoft' {
    AfterEach {
        Set-CsTenantMigrationConfiguration -HoldMinutes 0 -MeetingMigrationEnabled $true -Confirm:$false
        Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyMigrateUserMeetings $true -AutomaticallyReplaceAcpProvider $false -Confirm:$false
    }

    It 'starts an AudioConferencing migration for a licensed user, even with AutomaticallyReplaceAcpProvider off' {
        Set-CsTenantMigrationConfiguration -HoldMinutes 60 -Confirm:$false
        $user = Set-MmsUser -Identity user56@contoso.com -AudioConferencingProvider Microsoft -PassThru -Confirm:$false
        $user.AudioConferencingProvider | Should -BeNullOrEmpty
        $request = Get-CsMeetingMigrationStatus -Identity user56@contoso.com -TriggeredBy AudioConferencing
        $request.MigrationType | Should -Be 'ToSameType'
        $request.State | Should -Be 'Pending'
        (Get-CsOnlineDialInConferencingUser -Identity user56@contoso.com).UserPrincipalName | Should -Be 'user56@contoso.com'
    }

    It 'starts nothing for a change to a third-party provider, nor for an unlicensed user' {
        $before = @(Get-CsMeetingMigrationStatus -Identity user2@contoso.com).Count
        Set-MmsUser -Identity user2@contoso.com -AudioConferencingProvider InterCall -Confirm:$false
        @(Get-CsMeetingMigrationStatus -Identity user2@contoso.com).Count | Should -Be $before
        Set-MmsUser -Identity user19@contoso.com -AudioConferencingProvider Microsoft -Verbose -Confirm:$false 4>&1 |
            Out-String | Should -Match 'no Audio Conferencing licence'
        @(Get-CsMeetingMigrationStatus -Identity user19@contoso.com) | Should -BeNullOrEmpty
    }

    It 'starts nothing while <Switch> is off' -ForEach @(
        @{ Switch = 'MeetingMigrationEnabled'; User = 'user93@contoso.com'; Off = { Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $false -Confirm:$false } }
        @{ Switch = 'AutomaticallyMigrateUserMeetings'; User = 'user2@contoso.com'; Off = { Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyMigrateUserMeetings $false -Confirm:$false } }
    ) {
        & $Off
        $before = @(Get-CsMeetingMigrationStatus -Identity $User).Count
        Set-MmsUser -Identity $User -AudioConferencingProvider Microsoft -Verbose -Confirm:$false 4>&1 |
            Out-String | Should -Match "$Switch is False"
        (Get-CsOnlineUser -Identity $User).AudioConferencingProvider | Should -BeNullOrEmpty
        @(Get-CsMeetingMigrationStatus -Identity $User).Count | Should -Be $before
    }

    It 'migrates the meetings of the switched user to the end' {
        Set-MmsUser -Identity user3@contoso.com -AudioConferencingProvider InterCall -Confirm:$false
        Set-MmsUser -Identity user3@contoso.com -AudioConferencingProvider Microsoft -Confirm:$false
        Wait-MigrationIdle -Identity user3@contoso.com
        $last = Get-CsMeetingMigrationStatus -Identity user3@contoso.com -TriggeredBy AudioConferencing | Select-Object -Last 1
        $last.State | Should -Be 'Succeeded'
        $last.CreateDate | Should -BeGreaterThan (Get-CsMeetingMigrationStatus -Identity user3@contoso.com | Select-Object -First 1).CreateDate
    }
}

Describe 'The Audio Conferencing licence after a move' {
    AfterAll { Set-CsTenantMigrationConfiguration -HoldMinutes 0 -Confirm:$false }

    It 'starts a second migration (License) once the move''s migration has ended' {
        # An on-premises user without the licence: removing it starts nothing while homed on-premises.
        Set-MmsUserLicense -Identity user85@contoso.com -AudioConferencing $false -Confirm:$false
        @(Get-CsMeetingMigrationStatus -Identity user85@contoso.com) | Should -BeNullOrEmpty
        Move-CsUser -Identity user85@contoso.com -Target sipfed.online.lync.com -Confirm:$false
        Wait-MigrationIdle -Identity user85@contoso.com
        (Get-CsMeetingMigrationStatus -Identity user85@contoso.com -TriggeredBy UserMove).State | Should -Be 'Succeeded'

        Set-MmsUserLicense -Identity user85@contoso.com -AudioConferencing $true -Confirm:$false
        $all = @(Get-CsMeetingMigrationStatus -Identity user85@contoso.com)
        $all.Count | Should -Be 2
        $all[1].TriggeredBy | Should -Be 'License'
        $all[1].MigrationType | Should -Be 'ToSameType'
        Wait-MigrationIdle -Identity user85@contoso.com
        (Get-CsMeetingMigrationStatus -Identity user85@contoso.com -TriggeredBy License).State | Should -Be 'Succeeded'
    }

    It 'returns the move''s open request instead while it is still open' {
        Set-CsTenantMigrationConfiguration -HoldMinutes 60 -Confirm:$false
        Set-MmsUserLicense -Identity user68@contoso.com -AudioConferencing $false -Confirm:$false
        $moved = Move-CsUser -Identity user68@contoso.com -Target sipfed.online.lync.com -Confirm:$false -Verbose 4>&1 | Out-String
        $moved | Should -Match 'TriggeredBy UserMove'
        Set-MmsUserLicense -Identity user68@contoso.com -AudioConferencing $true -WarningVariable warned -WarningAction SilentlyContinue -Confirm:$false
        "$warned" | Should -BeLike '*already has a Pending meeting migration*TriggeredBy UserMove*'
        $all = @(Get-CsMeetingMigrationStatus -Identity user68@contoso.com)
        $all.Count | Should -Be 1
        $all[0].TriggeredBy | Should -Be 'UserMove'
    }
}

Describe 'Move-CsUser -UserList' {
    BeforeAll { Set-CsTenantMigrationConfiguration -HoldMinutes 60 -Confirm:$false }
    AfterAll { Set-CsTenantMigrationConfiguration -HoldMinutes 0 -Confirm:$false }

    It 'moves each user of the file, reports the one it cannot move and goes on' {
        $list = Join-Path $script:Scratch 'users.txt'
        Set-Content $list "sip:user17@contoso.com,sip:nobody@contoso.com`nuser34@contoso.com,"
        Push-Location $script:Scratch
        try {
            $moved = @(Move-CsUser -UserList users.txt -Target sipfed.online.lync.com -PassThru -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue)
        }
        finally { Pop-Location }
        @($moved.UserPrincipalName) | Should -Be @('user17@contoso.com', 'user34@contoso.com')
        $moved.TeamsUpgradeEffectiveMode | Sort-Object -Unique | Should -Be 'TeamsOnly'
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.IdentityNotFound*'
        "$($failed[0].TargetObject)" | Should -Be 'sip:nobody@contoso.com'
        foreach ($upn in 'user17@contoso.com', 'user34@contoso.com') {
            (Get-CsMeetingMigrationStatus -Identity $upn -TriggeredBy UserMove).MigrationType | Should -Be 'SfbToTeams'
        }
    }

    It 'refuses a list it cannot read, moving nobody' {
        { Move-CsUser -UserList (Join-Path $script:Scratch 'missing.txt') -Target sipfed.online.lync.com -Confirm:$false } |
            Should -Throw -ErrorId 'MeetingMigration.UserListUnreadable*'
        (Get-CsOnlineUser -Identity user51@contoso.com).AccountType | Should -Be 'SfBOnPremUser'
    }
}

Describe 'Grant-CsTeamsUpgradePolicy -Global and -Group' {
    AfterAll { Grant-CsTeamsUpgradePolicy -Global -PolicyName $null -Confirm:$false }

    It "runs Microsoft's example: the tenant's users without a policy of their own are SfBOnly, no migration starts" {
        Grant-CsTeamsUpgradePolicy -Identity user4@contoso.com -PolicyName SfBWithTeamsCollab -Confirm:$false
        $requests = @(Get-CsMeetingMigrationStatus).Count

        Grant-CsTeamsUpgradePolicy -PolicyName SfBOnly -Global

        $users = @(Get-CsOnlineUser -ResultSize Unlimited)
        $following = @($users | Where-Object { -not $_.TeamsUpgradePolicy -and $_.AccountType -ne 'SfBOnPremUser' })
        $following.Count | Should -BeGreaterThan 10
        $following.TeamsUpgradeEffectiveMode | Sort-Object -Unique | Should -Be 'SfBOnly'
        (Get-CsOnlineUser -Identity user4@contoso.com).TeamsUpgradeEffectiveMode | Should -Be 'SfBWithTeamsCollab'
        (Get-CsOnlineUser -Identity user51@contoso.com).TeamsUpgradeEffectiveMode | Should -Not -Be 'SfBOnly'
        @(Get-CsMeetingMigrationStatus).Count | Should -Be $requests
    }

    It 'grants a meetings mode tenant-wide without a migration, and returns the changed users with -PassThru' {
        $requests = @(Get-CsMeetingMigrationStatus).Count
        $changed = @(Grant-CsTeamsUpgradePolicy UpgradeToTeams -Global -Force -PassThru -Confirm:$false)
        $changed.Count | Should -BeGreaterThan 10
        $changed.TeamsUpgradeEffectiveMode | Sort-Object -Unique | Should -Be 'TeamsOnly'
        @(Get-CsMeetingMigrationStatus).Count | Should -Be $requests
        @(Grant-CsTeamsUpgradePolicy UpgradeToTeams -Global -PassThru -Confirm:$false) | Should -BeNullOrEmpty
        Grant-CsTeamsUpgradePolicy -Global -PolicyName Islands -WhatIf
        (Get-CsOnlineUser -Identity $changed[0].UserPrincipalName).TeamsUpgradeEffectiveMode | Should -Be 'TeamsOnly'
    }

    It 'refuses -Group: the directory has no groups, and nothing changes' {
        $before = (Get-CsOnlineUser -Identity user5@contoso.com).TeamsUpgradeEffectiveMode
        { Grant-CsTeamsUpgradePolicy -PolicyName SfBOnly -Group 'd8ebfa45-0f28-4d2d-9bcc-b158a49e2d17' -Rank 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'MeetingMigration.IdentityNotFound*'
        (Get-CsOnlineUser -Identity user5@contoso.com).TeamsUpgradeEffectiveMode | Should -Be $before
    }
}
