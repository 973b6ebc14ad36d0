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
