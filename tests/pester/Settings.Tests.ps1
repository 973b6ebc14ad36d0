# Get-/Set-CsTenantMigrationConfiguration and Get-/Set-CsOnlineDialInConferencingTenantSettings:
# values, -Instance from the getter, pipeline, ShouldProcess.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 5 -MeetingsPerUser 1
}

AfterAll {
    Remove-TestStore $script:Store
}

Describe 'Get-CsTenantMigrationConfiguration' {
    It 'returns the Global configuration of the default tenant' {
        $config = Get-CsTenantMigrationConfiguration
        $config.GetType().FullName | Should -Be 'MeetingMigration.PowerShell.Model.TenantMigrationConfiguration'
        $config.Identity | Should -Be 'Global'
        $config.TenantId | Should -Be $script:SampleTenantId
        $config.MeetingMigrationEnabled | Should -BeTrue
        $config.HoldMinutes | Should -Be 0
    }

    It 'takes -Identity Global and -Tenant, and refuses other identities' {
        (Get-CsTenantMigrationConfiguration -Identity Global -Tenant $script:SampleTenantId).Identity | Should -Be 'Global'
        { Get-CsTenantMigrationConfiguration -Identity Site:Redmond } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'Set-CsTenantMigrationConfiguration' {
    AfterEach { Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true -HoldMinutes 0 -Confirm:$false }

    It 'sets -MeetingMigrationEnabled' {
        Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $false -Confirm:$false | Should -BeNullOrEmpty
        (Get-CsTenantMigrationConfiguration).MeetingMigrationEnabled | Should -BeFalse
    }

    It 'writes the result with -PassThru' {
        (Set-CsTenantMigrationConfiguration -Identity Global -HoldMinutes 90 -PassThru -Confirm:$false).HoldMinutes | Should -Be 90
    }

    It 'refuses -HoldMinutes outside the library''s range (0 to 10080), changing nothing' -ForEach @(-1, 10081) {
        { Set-CsTenantMigrationConfiguration -HoldMinutes $_ -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'MeetingMigration.InvalidArgument*' -ExpectedMessage '*0 to 10080*'
        (Get-CsTenantMigrationConfiguration).HoldMinutes | Should -Be 0
    }

    It 'applies an -Instance from the getter' {
        $config = Get-CsTenantMigrationConfiguration
        $config.MeetingMigrationEnabled = $false
        Set-CsTenantMigrationConfiguration -Instance $config -Confirm:$false
        (Get-CsTenantMigrationConfiguration).MeetingMigrationEnabled | Should -BeFalse
    }

    It 'takes the instance from the pipeline, explicit parameters winning' {
        Get-CsTenantMigrationConfiguration | Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $false -Confirm:$false
        (Get-CsTenantMigrationConfiguration).MeetingMigrationEnabled | Should -BeFalse
    }

    It 'names the tenant and only the settings it changes in the ShouldProcess action' {
        $messages = Set-CsTenantMigrationConfiguration -HoldMinutes 15 -Confirm:$false -Verbose 4>&1
        $messages.Message | Should -Match 'Set tenant migration configuration \(HoldMinutes=15\).*Global \(tenant default\)'
        $messages.Message | Should -Not -Match 'MeetingMigrationEnabled'
    }

    It 'changes nothing with -WhatIf' {
        Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $false -WhatIf
        (Get-CsTenantMigrationConfiguration).MeetingMigrationEnabled | Should -BeTrue
    }

    It 'supports ShouldProcess with ConfirmImpact Medium' {
        $command = Get-Command Set-CsTenantMigrationConfiguration
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
        $command.Parameters['MeetingMigrationEnabled'].ParameterType | Should -Be ([Nullable[bool]])
    }

    It 'reports an unknown tenant' {
        Set-CsTenantMigrationConfiguration -Tenant ([guid]::NewGuid()) -MeetingMigrationEnabled $false -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.TenantNotFound,*'
    }
}

Describe 'Get-CsOnlineDialInConferencingTenantSettings' {
    It 'returns the settings that matter to migration' {
        $settings = Get-CsOnlineDialInConferencingTenantSettings
        $settings.GetType().FullName | Should -Be 'MeetingMigration.PowerShell.Model.DialInConferencingTenantSettings'
        $settings.Identity | Should -Be 'Global'
        $settings.TenantId | Should -Be $script:SampleTenantId
        foreach ($field in 'AutomaticallyMigrateUserMeetings', 'AutomaticallyReplaceAcpProvider', 'AutomaticallySendEmailsToUsers',
            'PinLength', 'DefaultTollNumber', 'DefaultTollFreeNumber') {
            $settings.PSObject.Properties.Name | Should -Contain $field
        }
    }
}

Describe 'Set-CsOnlineDialInConferencingTenantSettings' {
    BeforeAll { $script:Original = Get-CsOnlineDialInConferencingTenantSettings }
    AfterEach { $script:Original | Set-CsOnlineDialInConferencingTenantSettings -Confirm:$false }

    It 'sets <Name>' -ForEach @(
        @{ Name = 'AutomaticallyMigrateUserMeetings'; Value = $false }
        @{ Name = 'AutomaticallyReplaceAcpProvider'; Value = $true }
        @{ Name = 'AutomaticallySendEmailsToUsers'; Value = $false }
        @{ Name = 'PinLength'; Value = 7 }
        @{ Name = 'DefaultTollNumber'; Value = '+1 206 555 0199' }
        @{ Name = 'DefaultTollFreeNumber'; Value = '+1 888 555 0199' }
    ) {
        $parameters = @{ $Name = $Value }
        Set-CsOnlineDialInConferencingTenantSettings @parameters -Confirm:$false
        (Get-CsOnlineDialInConferencingTenantSettings).$Name | Should -Be $Value
    }

    It 'applies an -Instance from the getter and writes it with -PassThru' {
        $settings = Get-CsOnlineDialInConferencingTenantSettings
        $settings.PinLength = 8
        (Set-CsOnlineDialInConferencingTenantSettings -Instance $settings -PassThru -Confirm:$false).PinLength | Should -Be 8
    }

    It 'names the tenant of the instance and the settings it changes in the ShouldProcess action' {
        $messages = $script:Original | Set-CsOnlineDialInConferencingTenantSettings -PinLength 9 -Confirm:$false -Verbose 4>&1
        $messages.Message | Should -Match "Set dial-in conferencing settings \(.*PinLength=9.*\).*Global \(tenant $($script:SampleTenantId)\)"
    }

    It 'changes nothing with -WhatIf' {
        Set-CsOnlineDialInConferencingTenantSettings -PinLength 9 -WhatIf
        (Get-CsOnlineDialInConferencingTenantSettings).PinLength | Should -Be $script:Original.PinLength
    }

    It 'reports a value the library refuses as an error' {
        Set-CsOnlineDialInConferencingTenantSettings -DefaultTollNumber 'call me' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.*'
        (Get-CsOnlineDialInConferencingTenantSettings).DefaultTollNumber | Should -Be $script:Original.DefaultTollNumber
    }
}

Describe 'Every documented dial-in setting (issue 12 §2)' {
    AfterEach {
        Set-CsOnlineDialInConferencingTenantSettings -AllowedDialOutExternalDomains @() -AllowFederatedUsersToDialOutToSelf RequireSameEnterpriseUser `
            -AllowFederatedUsersToDialOutToThirdParty RequireSameEnterpriseUser -AllowPSTNOnlyMeetingsByDefault $false `
            -EnableDialOutJoinConfirmation $false -EnableEntryExitNotifications $true -EnableNameRecording $true -EntryExitAnnouncementsType UseNames `
            -IncludeTollFreeNumberInMeetingInvites $true -MaskPstnNumbersType MaskedForExternalUsers -MigrateServiceNumbersOnCrossForestMove $false `
            -SendEmailFromAddress '' -SendEmailFromDisplayName '' -SendEmailFromOverride $false -UseUniqueConferenceIds $true `
            -AutomaticallySendEmailsToUsers $true -PinLength 5 -Confirm:$false
    }

    It 'shows every setting with Microsoft''s defaults' {
        $s = Get-CsOnlineDialInConferencingTenantSettings
        $s.AllowedDialOutExternalDomains | Should -BeNullOrEmpty
        $s.AllowFederatedUsersToDialOutToSelf | Should -Be 'RequireSameEnterpriseUser'
        $s.AllowFederatedUsersToDialOutToThirdParty | Should -Be 'RequireSameEnterpriseUser'
        $s.AllowPSTNOnlyMeetingsByDefault | Should -BeFalse
        $s.EnableDialOutJoinConfirmation | Should -BeFalse
        $s.EnableEntryExitNotifications | Should -BeTrue
        $s.EnableNameRecording | Should -BeTrue
        $s.EntryExitAnnouncementsType | Should -Be 'UseNames'
        $s.IncludeTollFreeNumberInMeetingInvites | Should -BeTrue
        $s.MaskPstnNumbersType | Should -Be 'MaskedForExternalUsers'
        $s.MigrateServiceNumbersOnCrossForestMove | Should -BeFalse
        $s.SendEmailFromAddress | Should -BeNullOrEmpty
        $s.SendEmailFromDisplayName | Should -BeNullOrEmpty
        $s.SendEmailFromOverride | Should -BeFalse
        $s.UseUniqueConferenceIds | Should -BeTrue
        $s.PinLength | Should -Be 5
    }

    It 'sets -<Name> and reads it back' -ForEach @(
        @{ Name = 'AllowedDialOutExternalDomains'; Value = @('fabrikam.com', 'contoso.com'); Expected = @('fabrikam.com', 'contoso.com') }
        @{ Name = 'AllowFederatedUsersToDialOutToSelf'; Value = 'yes'; Expected = 'Yes' }
        @{ Name = 'AllowFederatedUsersToDialOutToThirdParty'; Value = 'No'; Expected = 'No' }
        @{ Name = 'AllowPSTNOnlyMeetingsByDefault'; Value = $true; Expected = $true }
        @{ Name = 'EnableDialOutJoinConfirmation'; Value = $true; Expected = $true }
        @{ Name = 'EnableEntryExitNotifications'; Value = $false; Expected = $false }
        @{ Name = 'EnableNameRecording'; Value = $false; Expected = $false }
        @{ Name = 'EntryExitAnnouncementsType'; Value = 'tonEonly'; Expected = 'ToneOnly' }
        @{ Name = 'IncludeTollFreeNumberInMeetingInvites'; Value = $false; Expected = $false }
        @{ Name = 'MaskPstnNumbersType'; Value = 'NoMasking'; Expected = 'NoMasking' }
        @{ Name = 'MigrateServiceNumbersOnCrossForestMove'; Value = $true; Expected = $true }
        @{ Name = 'SendEmailFromAddress'; Value = 'Admin@Contoso.com'; Expected = 'Admin@Contoso.com' }
        @{ Name = 'SendEmailFromDisplayName'; Value = 'Contoso Admin'; Expected = 'Contoso Admin' }
        @{ Name = 'SendEmailFromOverride'; Value = $true; Expected = $true }
        @{ Name = 'UseUniqueConferenceIds'; Value = $false; Expected = $false }
        @{ Name = 'PinLength'; Value = 12; Expected = 12 }
        @{ Name = 'AutomaticallyMigrateUserMeetings'; Value = $false; Expected = $false }
        @{ Name = 'AutomaticallyReplaceAcpProvider'; Value = $true; Expected = $true }
        @{ Name = 'AutomaticallySendEmailsToUsers'; Value = $false; Expected = $false }
    ) {
        $arguments = @{ $Name = $Value }
        Set-CsOnlineDialInConferencingTenantSettings @arguments -Confirm:$false
        (Get-CsOnlineDialInConferencingTenantSettings).$Name | Should -Be $Expected
        if ($Name -eq 'AutomaticallyMigrateUserMeetings') { Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyMigrateUserMeetings $true -Confirm:$false }
        if ($Name -eq 'AutomaticallyReplaceAcpProvider') { Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyReplaceAcpProvider $false -Confirm:$false }
    }

    It 'refuses -<Name> <Value> as documented, changing nothing' -ForEach @(
        @{ Name = 'PinLength'; Value = 3 }
        @{ Name = 'PinLength'; Value = 13 }
        @{ Name = 'AllowFederatedUsersToDialOutToSelf'; Value = 'Maybe' }
        @{ Name = 'AllowFederatedUsersToDialOutToThirdParty'; Value = 'Always' }
        @{ Name = 'EntryExitAnnouncementsType'; Value = 'Music' }
        @{ Name = 'MaskPstnNumbersType'; Value = 'Masked' }
        @{ Name = 'SendEmailFromAddress'; Value = 'not an address' }
        @{ Name = 'AllowedDialOutExternalDomains'; Value = @('fabrikam') }
    ) {
        $before = Get-CsOnlineDialInConferencingTenantSettings | ConvertTo-Json
        $arguments = @{ $Name = $Value }
        { Set-CsOnlineDialInConferencingTenantSettings @arguments -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'MeetingMigration.InvalidArgument*'
        Get-CsOnlineDialInConferencingTenantSettings | ConvertTo-Json | Should -Be $before
    }

    It 'accepts -MsftInternalProcessingMode and -Identity Global, -Force and -WhatIf' {
        Set-CsOnlineDialInConferencingTenantSettings -Identity Global -MsftInternalProcessingMode x -EnableNameRecording $false -Force -Confirm:$false
        (Get-CsOnlineDialInConferencingTenantSettings).EnableNameRecording | Should -BeFalse
        Set-CsOnlineDialInConferencingTenantSettings -EnableNameRecording $true -Force -WhatIf
        (Get-CsOnlineDialInConferencingTenantSettings).EnableNameRecording | Should -BeFalse
    }

    It 'runs the examples of Microsoft''s page' {
        Set-CsOnlineDialInConferencingTenantSettings -EnableEntryExitNotifications $True -EnableNameRecording $True -PinLength 7
        (Get-CsOnlineDialInConferencingTenantSettings).PinLength | Should -Be 7
        Set-CsOnlineDialInConferencingTenantSettings -SendEmailFromOverride $true -SendEmailFromAddress admin@contoso.com -SendEmailFromDisplayName "Conferencing Administrator"
        (Get-CsOnlineDialInConferencingTenantSettings).SendEmailFromDisplayName | Should -Be 'Conferencing Administrator'
        Set-CsOnlineDialInConferencingTenantSettings -MaskPstnNumbersType 'NoMasking' -Confirm:$false
        (Get-CsOnlineDialInConferencingTenantSettings).MaskPstnNumbersType | Should -Be 'NoMasking'
    }

    It 'uses -IncludeTollFreeNumberInMeetingInvites and -AutomaticallySendEmailsToUsers when migrating' {
        Set-CsOnlineDialInConferencingTenantSettings -IncludeTollFreeNumberInMeetingInvites $false -AutomaticallySendEmailsToUsers $false `
            -DefaultTollFreeNumber '+1 800 555 0199' -Confirm:$false
        try {
            $request = Start-CsExMeetingMigration user1@contoso.com -Confirm:$false
            Wait-MigrationIdle
            $done = Get-CsMeetingMigrationStatus -CorrelationId $request.CorrelationId
            $done.State | Should -Be 'Succeeded'
            $done.InvitesUpdate | Should -Be 0
            foreach ($m in Get-MmsMeeting -Identity user1@contoso.com) {
                $m.Body | Should -Not -Match '800 555 0199'
            }
        }
        finally { Set-CsOnlineDialInConferencingTenantSettings -DefaultTollFreeNumber '' -Confirm:$false }
    }
}

Describe 'Get- settings parameters of Microsoft''s cmdlets' {
    It '<Command> takes -Filter as a wildcard over the identities and -LocalStore' -ForEach @(
        @{ Command = 'Get-CsOnlineDialInConferencingTenantSettings' }
        @{ Command = 'Get-CsTenantMigrationConfiguration' }
    ) {
        (& $Command -Filter 'G*').Identity | Should -Be 'Global'
        & $Command -Filter 'Site:*' | Should -BeNullOrEmpty
        (& $Command -LocalStore).Identity | Should -Be 'Global'
        (& $Command -Identity Global -LocalStore -Tenant $script:SampleTenantId).Identity | Should -Be 'Global'
    }

    It 'runs the examples of the Get- and Set-CsTenantMigrationConfiguration pages as written' {
        try {
            Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $false
            (Get-CsTenantMigrationConfiguration).MeetingMigrationEnabled | Should -BeFalse
        }
        finally { Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true -Confirm:$false }
    }

    It 'Set-CsTenantMigrationConfiguration takes -Force and still honours -WhatIf' {
        Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $false -Force -Confirm:$false
        (Get-CsTenantMigrationConfiguration).MeetingMigrationEnabled | Should -BeFalse
        Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true -Force -WhatIf
        (Get-CsTenantMigrationConfiguration).MeetingMigrationEnabled | Should -BeFalse
        Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true -Confirm:$false
    }
}
