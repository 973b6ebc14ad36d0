# Get-CsOnlineUser: identity forms, -Filter (text and script block),
# -ResultSize, stable order, streaming, and piping into Start-CsExMeetingMigration.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 30 -MeetingsPerUser 1
}

AfterAll {
    Remove-TestStore $script:Store
}

Describe 'Listing' {
    It 'returns every user of the default tenant, typed, with the directory properties' {
        $users = Get-CsOnlineUser
        $users | Should -HaveCount 32  # John, Ken Myer and user1..user30
        $users[0].GetType().FullName | Should -Be 'MeetingMigration.PowerShell.Model.OnlineUser'
        foreach ($field in 'Identity', 'UserPrincipalName', 'SipAddress', 'DisplayName', 'SamAccountName', 'DistinguishedName',
            'TeamsUpgradeEffectiveMode', 'AudioConferencingTollNumber', 'AudioConferencingTollFreeNumber') {
            $users[0].PSObject.Properties.Name | Should -Contain $field
        }
    }

    It 'returns them in a stable order' {
        (Get-CsOnlineUser).Identity | Should -Be (Get-CsOnlineUser).Identity
    }

    It 'stops after -ResultSize users' {
        $users = Get-CsOnlineUser -ResultSize 7
        $users | Should -HaveCount 7
        $users.Identity | Should -Be ((Get-CsOnlineUser) | Select-Object -First 7).Identity
    }

    It 'returns nothing for -ResultSize 0 and everything for Unlimited, as the real type does' {
        Get-CsOnlineUser -ResultSize 0 | Should -BeNullOrEmpty
        @(Get-CsOnlineUser -ResultSize Unlimited) | Should -HaveCount 32
        @(Get-CsOnlineUser -ResultSize 'unlimited') | Should -HaveCount 32
        @(Get-CsOnlineUser -ResultSize '5') | Should -HaveCount 5
        { Get-CsOnlineUser -ResultSize -1 } | Should -Throw -ErrorId 'CannotConvertArgument*'
        { Get-CsOnlineUser -ResultSize lots } | Should -Throw -ErrorId 'CannotConvertArgument*'
    }

    It 'lets a downstream Select-Object -First stop the stream' {
        @(Get-CsOnlineUser | Select-Object -First 2) | Should -HaveCount 2
    }

    It 'takes the tenant and reports an unknown one' {
        @(Get-CsOnlineUser -Tenant $script:SampleTenantId) | Should -HaveCount 32
        Get-CsOnlineUser -Tenant ([guid]::NewGuid()) -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.TenantNotFound,*'
    }
}

Describe '-Identity' {
    It 'finds Ken Myer by <_>' -ForEach @(
        'sip:kenmyer@litwareinc.com', 'kenmyer@litwareinc.com', 'LITWAREINC\kenmyer', 'Ken Myer',
        'CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com', 'kenmyer', 'KenMyer') {
        $user = Get-CsOnlineUser -Identity $_
        $user.UserPrincipalName | Should -Be 'kenmyer@litwareinc.com'
        $user.SipAddress | Should -Be 'sip:kenmyer@litwareinc.com'
        $user.DistinguishedName | Should -Be 'CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com'
    }

    It 'finds a user by an alias that is neither its logon name nor its UPN''s local part' {
        $tenant = New-MmsTenant -Name 'Alias' -Domain @{ Name = 'alias.example'; NetBiosName = 'ALIAS' } -Confirm:$false
        $file = Join-Path ([IO.Path]::GetTempPath()) "mms-alias-$([guid]::NewGuid().ToString('N')).json"
        '[{"UserPrincipalName":"jane.doe@alias.example","DisplayName":"Jane Doe","SamAccountName":"jdoe","Alias":"janed"}]' | Set-Content $file
        try { $null = Import-MmsTenantData -Path $file -Tenant $tenant.TenantId -Confirm:$false }
        finally { Remove-Item $file }
        (Get-CsOnlineUser -Identity JaneD -Tenant $tenant.TenantId).UserPrincipalName | Should -Be 'jane.doe@alias.example'
        (Get-CsOnlineUser -Identity 'ALIAS\jdoe' -Tenant $tenant.TenantId).Alias | Should -Be 'janed'
        Get-CsOnlineUser -Identity jdoe -Tenant $tenant.TenantId -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.IdentityNotFound,*'
    }

    It 'finds a user by object id, positionally and from the pipeline' {
        $ken = Get-CsOnlineUser kenmyer@litwareinc.com
        (Get-CsOnlineUser $ken.Identity.ToString()).UserPrincipalName | Should -Be 'kenmyer@litwareinc.com'
        ('John@contoso.com', 'kenmyer@litwareinc.com' | Get-CsOnlineUser).UserPrincipalName | Should -Be @('John@contoso.com', 'kenmyer@litwareinc.com')
    }

    It 'reports an unknown identity as ObjectNotFound' {
        Get-CsOnlineUser nobody@contoso.com -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.IdentityNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'nobody@contoso.com'
    }

    It 'refuses wildcards' {
        { Get-CsOnlineUser 'ken*' -ErrorAction Stop } | Should -Throw -ErrorId 'MeetingMigration.WildcardNotAllowed*'
    }

    It 'tab-completes -Identity from the directory' {
        Get-CompletionText 'Get-CsOnlineUser kenm' | Should -Be 'kenmyer@litwareinc.com'
        Get-CompletionText 'Get-CsOnlineUser -Identity user1' | Should -Contain 'user1@contoso.com'
    }
}

Describe '-Filter' {
    It 'takes OPath text' {
        $users = Get-CsOnlineUser -Filter "TeamsUpgradeEffectiveMode -eq 'TeamsOnly'"
        $users | Should -Not -BeNullOrEmpty
        $users.TeamsUpgradeEffectiveMode | Sort-Object -Unique | Should -Be 'TeamsOnly'
    }

    It 'takes a script block as scripts write it' {
        (Get-CsOnlineUser -Filter { TeamsUpgradeEffectiveMode -eq 'TeamsOnly' }).Identity |
            Should -Be (Get-CsOnlineUser -Filter "TeamsUpgradeEffectiveMode -eq 'TeamsOnly'").Identity
    }

    It 'supports -ne, -like, -and and -or' {
        $all = Get-CsOnlineUser
        @(Get-CsOnlineUser -Filter "TeamsUpgradeEffectiveMode -ne 'TeamsOnly'").Count +
        @(Get-CsOnlineUser -Filter "TeamsUpgradeEffectiveMode -eq 'TeamsOnly'").Count | Should -Be $all.Count
        (Get-CsOnlineUser -Filter { UserPrincipalName -like 'user1*' }).UserPrincipalName | ForEach-Object { $_ | Should -BeLike 'user1*' }
        (Get-CsOnlineUser -Filter { DisplayName -eq 'Ken Myer' -or UserPrincipalName -eq 'John@contoso.com' }).UserPrincipalName |
            Sort-Object | Should -Be @('John@contoso.com', 'kenmyer@litwareinc.com')
        Get-CsOnlineUser -Filter { DisplayName -eq 'Ken Myer' -and UserPrincipalName -eq 'John@contoso.com' } | Should -BeNullOrEmpty
    }

    It 'reports an unknown property with the close matches' {
        Get-CsOnlineUser -Filter { TeamsUpgradePolcy -eq $null } -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.FilterSyntax,*'
        $failures[0].Exception.Message | Should -BeLike "*'TeamsUpgradePolcy'*did you mean TeamsUpgradePolicy*"
    }

    It 'refuses <Text> naming the position' -ForEach @(
        @{ Text = 'DisplayName -eq $(Get-Date)'; Expected = '*position 17*' }
        @{ Text = 'DisplayName -eq $name'; Expected = '*position 17 is a variable*' }
        @{ Text = 'DisplayName -eq (Get-Date)'; Expected = '*position 17*' }
        @{ Text = "DisplayName -eq 'x'.ToUpper()"; Expected = '*method call*position 20*' }
        @{ Text = "WhenChanged -gt [datetime]'2022-01-01'"; Expected = '*cast*position 17*' }
        @{ Text = "DisplayName -eq 'x' | Remove-Item"; Expected = "*'|' at position 21*" }
    ) {
        Get-CsOnlineUser -Filter $Text -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.FilterSyntax,*'
        $failures[0].Exception.Message | Should -BeLike $Expected
    }

    It 'reports a bad filter as a clear error naming the token' {
        Get-CsOnlineUser -Filter "TeamsUpgradeEffectiveMode -equals 'TeamsOnly'" -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.FilterSyntax,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ParserError'
        $failures[0].Exception.Message | Should -Match '-equals'
    }

    It 'pipes into Start-CsExMeetingMigration as Microsoft''s loop is written' {
        $mode = 'TeamsOnly'
        $expected = @(Get-CsOnlineUser -Filter "TeamsUpgradeEffectiveMode -eq '$mode'").Count
        $statuses = Get-CsOnlineUser -Filter { TeamsUpgradeEffectiveMode -eq 'TeamsOnly' } |
            Start-CsExMeetingMigration -SourceMeetingType SfB -TargetMeetingType Teams -Confirm:$false
        $statuses | Should -HaveCount $expected
        $statuses.MigrationType | Sort-Object -Unique | Should -Be 'SfbToTeams'
    }
}

Describe 'User properties' {
    BeforeAll {
        $script:All = Get-CsOnlineUser
        $script:Ken = Get-CsOnlineUser kenmyer@litwareinc.com
        $script:John = Get-CsOnlineUser John@contoso.com
    }

    It 'has every property upgrade and migration scripts read' {
        $names = $script:Ken.PSObject.Properties.Name
        foreach ($p in 'Identity', 'UserPrincipalName', 'SipAddress', 'DisplayName', 'Alias', 'FirstName', 'LastName', 'City',
            'Department', 'Title', 'UsageLocation', 'AccountEnabled', 'IsSipEnabled', 'Enabled', 'AccountType', 'InterpretedUserType',
            'HostingProvider', 'OnPremHostingProvider', 'OnPremLineURI', 'LineURI', 'EnterpriseVoiceEnabled', 'HideFromAddressLists',
            'FeatureTypes', 'AssignedPlan', 'TeamsUpgradePolicy', 'TeamsUpgradeEffectiveMode', 'TeamsUpgradePolicyIsReadOnly',
            'TeamsUpgradeNotificationsEnabled', 'TeamsMeetingPolicy', 'TeamsCallingPolicy', 'TeamsMessagingPolicy', 'ArchivingPolicy',
            'WhenCreated', 'WhenChanged', 'SoftDeletionTimestamp', 'TenantId', 'WindowsEmailAddress', 'SamAccountName',
            'DistinguishedName', 'WindowsDomainLogon', 'AudioConferencingTollNumber', 'AudioConferencingTollFreeNumber',
            'OptionFlags', 'DialPlan', 'UserValidationErrors', 'ProxyAddresses', 'ShadowProxyAddresses', 'ProvisionedPlan') {
            $names | Should -Contain $p
        }
    }

    It 'has the addresses, validation errors and the no-longer-populated OptionFlags and DialPlan of Microsoft''s notes' {
        $script:John.ProxyAddresses | Should -Be @('SMTP:John@contoso.com', 'SIP:John@contoso.com')
        $null -eq $script:John.OptionFlags | Should -BeTrue
        $null -eq $script:John.DialPlan | Should -BeTrue
        $withErrors = @(Get-CsOnlineUser -Filter { UserValidationErrors -ne $null })
        $withErrors.Count | Should -BeGreaterThan 0
        $withErrors.Count | Should -BeLessThan $script:All.Count
        $withErrors[0].UserValidationErrors[0] | Should -BeLike 'ProxyAddressConflict:*'
        @(Get-CsOnlineUser -Filter { ProxyAddresses -contains 'smtp:kenmyer@litwareinc.com' }).UserPrincipalName | Should -Be 'kenmyer@litwareinc.com'
        $onPrem = @(Get-CsOnlineUser -Filter { ShadowProxyAddresses -like 'SIP:*' })
        $onPrem.AccountType | Sort-Object -Unique | Should -Be 'SfBOnPremUser'
        $user2 = Get-CsOnlineUser user2@contoso.com
        $user2.ProvisionedPlan.Capability | Should -Be $user2.AssignedPlan.Capability
        $provisioned = @(Get-CsOnlineUser -Filter { ProvisionedPlan -eq 'MCOEV' })
        $provisioned.Count | Should -BeGreaterThan 0
        $provisioned.FeatureTypes | Should -Contain 'PhoneSystem'
    }

    It 'has the renamed GivenName and UserDirSyncEnabled beside FirstName and DirSyncEnabled, and the deprecated LocationPolicy' {
        $script:Ken.GivenName | Should -Be 'Ken'
        foreach ($user in $script:All) {
            $user.GivenName | Should -Be $user.FirstName
            $user.UserDirSyncEnabled | Should -Be $user.DirSyncEnabled
            $null -eq $user.LocationPolicy | Should -BeTrue
        }
        @(Get-CsOnlineUser -Filter { GivenName -eq 'Ken' }).UserPrincipalName | Should -Be 'kenmyer@litwareinc.com'
        $synced = @(Get-CsOnlineUser -Filter { UserDirSyncEnabled -eq $true })
        $synced.Identity | Should -Be @($script:All | Where-Object DirSyncEnabled).Identity
        $synced | Should -Not -BeNullOrEmpty
        (Get-CsOnlineUser kenmyer@litwareinc.com -Properties GivenName, UserDirSyncEnabled).PSObject.Properties.Name |
            Should -Be @('Identity', 'UserPrincipalName', 'Alias', 'AccountEnabled', 'DisplayName', 'GivenName', 'UserDirSyncEnabled')
    }

    It 'gives Ken Myer the values of Microsoft''s examples' {
        $script:Ken.LineURI | Should -Be 'tel:+1234'
        $script:Ken.ArchivingPolicy | Should -Be 'RedmondArchiving'
        $script:Ken.HideFromAddressLists | Should -BeTrue
        $script:Ken.EnterpriseVoiceEnabled | Should -BeTrue
        $script:Ken.FeatureTypes | Should -Contain 'PhoneSystem'
        $script:Ken.AssignedPlan.Capability | Should -Contain 'MCOEV'
        $script:Ken.AssignedPlan[0].AssignedTimestamp.Kind | Should -Be 'Utc'
        $script:Ken.AccountType | Should -Be 'User'
        $script:Ken.FirstName | Should -Be 'Ken'
        $script:Ken.WhenChanged.Kind | Should -Be 'Utc'
    }

    It 'leaves TeamsUpgradePolicy and other unassigned policies $null' {
        $script:John.TeamsUpgradePolicy | Should -BeNullOrEmpty
        $null -eq $script:John.TeamsUpgradePolicy | Should -BeTrue
        $null -eq $script:John.TeamsMeetingPolicy | Should -BeTrue
        $script:Ken.TeamsUpgradePolicy | Should -Be 'Islands'
    }

    It 'mixes values across the sample tenant so filters select some and leave others' {
        foreach ($p in 'AccountType', 'AccountEnabled', 'TeamsUpgradePolicy', 'EnterpriseVoiceEnabled', 'HideFromAddressLists', 'Department', 'City') {
            @($script:All | ForEach-Object { "$($_.$p)" } | Sort-Object -Unique).Count | Should -BeGreaterThan 1 -Because $p
        }
        @($script:All | Where-Object SoftDeletionTimestamp).Count | Should -BeGreaterThan 0
    }

    It 'shows a user as a list that fits 80 columns' {
        $text = $script:Ken | Out-String -Width 80
        $text | Should -Match 'UserPrincipalName\s+: kenmyer@litwareinc.com'
        $text | Should -Match 'TeamsUpgradePolicy\s+: Islands'
        foreach ($line in $text -split "`r?`n") { $line.Length | Should -BeLessOrEqual 80 }
    }

    It 'writes FeatureTypes and AssignedPlan as readable text in CSV' {
        $row = $script:Ken | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $row.FeatureTypes | Should -Be 'Teams;AudioConferencing;PhoneSystem'
        $row.AssignedPlan | Should -Be 'TEAMS1;MCOMEETADV;MCOEV'
    }
}

Describe '-Filter on every property' {
    BeforeAll {
        $script:All = Get-CsOnlineUser
        # The same selection made by Where-Object on the objects: what the filter must return.
        function Select-Expected([scriptblock] $Where) { @($script:All | Where-Object $Where).Identity }
    }

    It 'selects with the commonest upgrade filter, {TeamsUpgradePolicy -eq $null}' {
        $none = Get-CsOnlineUser -Filter { TeamsUpgradePolicy -eq $null }
        $none.Identity | Should -Be (Select-Expected { $null -eq $_.TeamsUpgradePolicy })
        $none.Count | Should -BeLessThan $script:All.Count
        $some = Get-CsOnlineUser -Filter { TeamsUpgradePolicy -ne $null -and TeamsUpgradeEffectiveMode -eq 'TeamsOnly' -or TeamsUpgradePolicy -eq 'Islands' }
        $some.Identity | Should -Be (Select-Expected { ($null -ne $_.TeamsUpgradePolicy -and $_.TeamsUpgradeEffectiveMode -eq 'TeamsOnly') -or $_.TeamsUpgradePolicy -eq 'Islands' })
    }

    It '<Filter>' -ForEach @(
        @{ Filter = "AccountType -eq 'Guest'"; Where = { $_.AccountType -eq 'Guest' } }
        @{ Filter = "AccountType -ne 'Guest'"; Where = { $_.AccountType -ne 'Guest' } }
        @{ Filter = 'AccountEnabled -eq $false'; Where = { -not $_.AccountEnabled } }
        @{ Filter = 'IsSipEnabled -eq $true'; Where = { $_.IsSipEnabled } }
        @{ Filter = 'Enabled -eq $true'; Where = { $_.Enabled } }
        @{ Filter = 'EnterpriseVoiceEnabled -eq $True'; Where = { $_.EnterpriseVoiceEnabled } }
        @{ Filter = 'HideFromAddressLists -eq $True'; Where = { $_.HideFromAddressLists } }
        @{ Filter = 'TeamsUpgradeNotificationsEnabled -eq $true'; Where = { $_.TeamsUpgradeNotificationsEnabled } }
        @{ Filter = 'DirSyncEnabled -eq $true'; Where = { $_.DirSyncEnabled } }
        @{ Filter = "Department -eq 'sales'"; Where = { $_.Department -eq 'Sales' } }
        @{ Filter = "City -like 'S*'"; Where = { $_.City -like 'S*' } }
        @{ Filter = "Title -notlike '*Engineer'"; Where = { $_.Title -notlike '*Engineer' } }
        @{ Filter = "UsageLocation -eq 'GB'"; Where = { $_.UsageLocation -eq 'GB' } }
        @{ Filter = "Alias -eq 'kenmyer'"; Where = { $_.Alias -eq 'kenmyer' } }
        @{ Filter = "FirstName -eq 'John'"; Where = { $_.FirstName -eq 'John' } }
        # Numbers compare as numbers, other text as text ('Myer' -ge '20').
        @{ Filter = "LastName -ge '20'"; Where = { $n = 0; if ([double]::TryParse($_.LastName, [ref]$n)) { $n -ge 20 } else { $_.LastName -ge '20' } } }
        @{ Filter = "LastName -lt 3"; Where = { $n = 0; if ([double]::TryParse($_.LastName, [ref]$n)) { $n -lt 3 } else { $_.LastName -lt '3' } } }
        @{ Filter = "InterpretedUserType -eq 'HybridOnpremSfBUser'"; Where = { $_.InterpretedUserType -eq 'HybridOnpremSfBUser' } }
        @{ Filter = "HostingProvider -eq 'SRV:'"; Where = { $_.HostingProvider -eq 'SRV:' } }
        @{ Filter = 'OnPremHostingProvider -ne $null'; Where = { $null -ne $_.OnPremHostingProvider } }
        @{ Filter = "OnPremLineURI -like 'tel:*'"; Where = { $_.OnPremLineURI -like 'tel:*' } }
        @{ Filter = 'LineURI -eq "tel:+1234"'; Where = { $_.LineURI -eq 'tel:+1234' } }
        @{ Filter = "FeatureTypes -contains 'PhoneSystem'"; Where = { $_.FeatureTypes -contains 'PhoneSystem' } }
        @{ Filter = "FeatureTypes -notcontains 'Teams'"; Where = { $_.FeatureTypes -notcontains 'Teams' } }
        @{ Filter = "AssignedPlan -like '*MCO*'"; Where = { $_.AssignedPlan.Capability -like '*MCO*' } }
        @{ Filter = "AssignedPlans -eq 'MCOEV'"; Where = { $_.AssignedPlan.Capability -contains 'MCOEV' } }
        @{ Filter = "TeamsUpgradeEffectiveMode -eq 'Islands'"; Where = { $_.TeamsUpgradeEffectiveMode -eq 'Islands' } }
        @{ Filter = "TeamsUpgradePolicyIsReadOnly -eq 'ModeAndNotifications'"; Where = { $_.TeamsUpgradePolicyIsReadOnly -eq 'ModeAndNotifications' } }
        @{ Filter = "TeamsMeetingPolicy -eq 'RestrictedAnonymousAccess'"; Where = { $_.TeamsMeetingPolicy -eq 'RestrictedAnonymousAccess' } }
        @{ Filter = "TeamsCallingPolicy -ne `$null"; Where = { $null -ne $_.TeamsCallingPolicy } }
        @{ Filter = "ArchivingPolicy -eq 'RedmondArchiving'"; Where = { $_.ArchivingPolicy -eq 'RedmondArchiving' } }
        @{ Filter = 'SoftDeletionTimestamp -eq $null'; Where = { $null -eq $_.SoftDeletionTimestamp } }
        @{ Filter = 'SoftDeletionTimestamp -ne $null'; Where = { $null -ne $_.SoftDeletionTimestamp } }
        @{ Filter = "WindowsEmailAddress -like '*@litwareinc.com'"; Where = { $_.WindowsEmailAddress -like '*@litwareinc.com' } }
        @{ Filter = "SamAccountName -eq 'user3'"; Where = { $_.SamAccountName -eq 'user3' } }
        @{ Filter = "WindowsDomainLogon -eq 'LITWAREINC\kenmyer'"; Where = { $_.WindowsDomainLogon -eq 'LITWAREINC\kenmyer' } }
        @{ Filter = "DistinguishedName -like 'CN=User 1*'"; Where = { $_.DistinguishedName -like 'CN=User 1*' } }
        @{ Filter = "SipAddress -eq 'sip:user4@contoso.com'"; Where = { $_.SipAddress -eq 'sip:user4@contoso.com' } }
        @{ Filter = "UserPrincipalName -eq 'USER5@contoso.com'"; Where = { $_.UserPrincipalName -eq 'user5@contoso.com' } }
        @{ Filter = "DisplayName -eq 'User 6' -and AccountType -eq 'User'"; Where = { $_.DisplayName -eq 'User 6' -and $_.AccountType -eq 'User' } }
        @{ Filter = "AudioConferencingTollNumber -ne `$null"; Where = { $null -ne $_.AudioConferencingTollNumber } }
        @{ Filter = 'AudioConferencingTollFreeNumber -eq $null'; Where = { $null -eq $_.AudioConferencingTollFreeNumber } }
        @{ Filter = "-not (AccountType -eq 'User') -or (City -eq 'Paris')"; Where = { -not ($_.AccountType -eq 'User') -or ($_.City -eq 'Paris') } }
    ) {
        $expected = Select-Expected $Where
        (Get-CsOnlineUser -Filter $Filter).Identity | Should -Be $expected
        if ($Filter -notmatch '-not|-ne|notlike|notcontains|\$null') { $expected | Should -Not -BeNullOrEmpty -Because 'the sample tenant has such users' }
    }

    It 'compares dates: WhenChanged, WhenCreated' {
        $cut = [datetime]::UtcNow.AddDays(-20)
        $text = $cut.ToString('M/d/yyyy h:mm:ss tt', [cultureinfo]::InvariantCulture)
        (Get-CsOnlineUser -Filter "WhenChanged -gt '$text'").Identity | Should -Be (Select-Expected { $_.WhenChanged -gt $cut })
        (Get-CsOnlineUser -Filter "WhenCreated -le '$($cut.ToString('yyyy-MM-dd'))'").Identity |
            Should -Be (Select-Expected { $_.WhenCreated -le $cut.Date })
    }

    It 'takes the TenantId filter of Microsoft''s description' {
        @(Get-CsOnlineUser -Filter "TenantId -eq '$script:SampleTenantId'") | Should -HaveCount $script:All.Count
        Get-CsOnlineUser -Filter "TenantId -eq '00000000-0000-0000-0000-000000000000'" | Should -BeNullOrEmpty
    }

    It 'takes the operators in any case, and -ieq' {
        (Get-CsOnlineUser -Filter "department -EQ 'SALES' -AND city -Like 'redmond'").Identity |
            Should -Be (Select-Expected { $_.Department -eq 'Sales' -and $_.City -like 'Redmond' })
        (Get-CsOnlineUser -Filter "Department -ieq 'sales'").Identity | Should -Be (Select-Expected { $_.Department -eq 'Sales' })
    }
}

Describe 'Microsoft''s examples, as written' {
    It 'Example <N>' -ForEach @(
        @{ N = 1; Run = { Get-CsOnlineUser } }
        @{ N = 2; Run = { Get-CsOnlineUser -Identity "sip:kenmyer@litwareinc.com" } }
        @{ N = 3; Run = { Get-CsOnlineUser -Filter "ArchivingPolicy -eq 'RedmondArchiving'" } }
        @{ N = 4; Run = { Get-CsOnlineUser -Filter {HideFromAddressLists -eq $True} } }
        @{ N = 5; Run = { Get-CsOnlineUser -Filter {LineURI -eq "tel:+1234"}; Get-CsOnlineUser -Filter {LineURI -eq "tel:+1234,ext:"}; Get-CsOnlineUser -Filter {LineURI -eq "1234"} } }
        @{ N = 6; Run = { Get-CsOnlineUser -AccountType ResourceAccount } }
        @{ N = 7; Run = { Get-CsOnlineUser -Filter "FeatureTypes -Contains 'PhoneSystem'" } }
        @{ N = 8; Run = { Get-CsOnlineUser -Filter {AssignedPlan -like "*MCO*"} } }
        @{ N = 9; Run = { Get-CsOnlineUser -Filter {UserPrincipalName -like "test*" -and (AssignedPlans -eq "MCOEV" -or AssignedPlans -like "MCOPSTN*")} } }
        @{ N = 10; Run = { Get-CsOnlineUser -Filter {OnPremHostingProvider -ne $null} } }
        @{ N = 11; Run = { Get-CsOnlineUser -Filter {WhenChanged -gt "1/25/2022 11:59:59 PM"} } }
        @{ N = 12; Run = { Get-CsOnlineUser -Filter {AccountType -ne 'Guest'} } }
        @{ N = 13; Run = { Get-CsOnlineUser -Filter {SoftDeletionTimestamp -eq $null} } }
        @{ N = 14; Run = { Get-CsOnlineUser -Filter {AccountType -ne 'IneligibleUser'} } }
        @{ N = 15; Run = { Get-CsOnlineUser -Properties DisplayName, UserPrincipalName, FeatureTypes } }
        @{ N = 16; Run = { Get-CsOnlineUser -Properties DisplayName, Alias, LineURI } }
        @{ N = 17; Run = { Get-CsOnlineUser -Filter {LineURI -like *123*} -OrderBy "DisplayName asc" } }
        @{ N = 18; Run = { Get-CsOnlineUser -Filter {DisplayName -like '*abc'} -OrderBy {DisplayName desc} } }
        @{ N = 19; Run = { Get-CsOnlineUser -Filter 'EnterpriseVoiceEnabled -eq $True' } }
    ) {
        $failures = $null
        $null = & $Run -ErrorVariable failures
        $failures | Should -BeNullOrEmpty
    }

    It 'Example 3 finds the archived users, Example 4 the hidden ones, Example 6 the resource accounts' {
        (Get-CsOnlineUser -Filter "ArchivingPolicy -eq 'RedmondArchiving'").UserPrincipalName | Should -Contain 'kenmyer@litwareinc.com'
        (Get-CsOnlineUser -Filter {HideFromAddressLists -eq $True}).UserPrincipalName | Should -Contain 'kenmyer@litwareinc.com'
        (Get-CsOnlineUser -AccountType ResourceAccount).AccountType | Sort-Object -Unique | Should -Be 'ResourceAccount'
    }
}

Describe 'Parameters' {
    BeforeAll { $script:All = Get-CsOnlineUser }

    It '-AccountType <_> returns only that type' -ForEach @('User', 'ResourceAccount', 'Guest', 'SfBOnPremUser', 'IneligibleUser') {
        $users = @(Get-CsOnlineUser -AccountType $_)
        $users.Identity | Should -Be @($script:All | Where-Object AccountType -EQ $_).Identity
        $users | Should -Not -BeNullOrEmpty
    }

    It '-AccountType refuses an unknown type, naming the accepted ones' {
        { Get-CsOnlineUser -AccountType Robot } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It '-SoftDeletedUser returns the users deleted within 30 days' {
        $deleted = @(Get-CsOnlineUser -SoftDeletedUser)
        $deleted | Should -Not -BeNullOrEmpty
        $deleted.Identity | Should -Be @($script:All | Where-Object SoftDeletionTimestamp).Identity
        foreach ($u in $deleted) { $u.SoftDeletionTimestamp | Should -BeGreaterThan ([datetime]::UtcNow.AddDays(-30)) }
    }

    It '-SkipUserPolicies leaves the policies empty' {
        $ken = Get-CsOnlineUser -Filter "UserPrincipalName -eq 'kenmyer@litwareinc.com'" -SkipUserPolicies
        $ken.UserPrincipalName | Should -Be 'kenmyer@litwareinc.com'
        $ken.TeamsUpgradePolicy | Should -BeNullOrEmpty
        $ken.ArchivingPolicy | Should -BeNullOrEmpty
        $ken.TeamsUpgradeEffectiveMode | Should -Be 'Islands'
    }

    It '-Properties returns the named properties and the ones always present' {
        $users = Get-CsOnlineUser -Properties DisplayName, UserPrincipalName, FeatureTypes -ResultSize 3
        $users | Should -HaveCount 3
        $users[0].PSObject.Properties.Name | Should -Be @('Identity', 'UserPrincipalName', 'Alias', 'AccountEnabled', 'DisplayName', 'FeatureTypes')
        $one = Get-CsOnlineUser -Identity kenmyer@litwareinc.com -Properties 'lineuri,City'
        $one.PSObject.Properties.Name | Should -Be @('Identity', 'UserPrincipalName', 'Alias', 'AccountEnabled', 'DisplayName', 'LineURI', 'City')
        $one.LineURI | Should -Be 'tel:+1234'
    }

    It '-Properties refuses an unknown name, with close matches' {
        Get-CsOnlineUser -Properties DisplayNme -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].Exception.Message | Should -BeLike "*'DisplayNme'*DisplayName*"
    }

    It '-Sort <Sort> orders the users' -ForEach @(
        @{ Sort = 'DisplayName'; Property = 'DisplayName'; Descending = $false }
        @{ Sort = 'DisplayName desc'; Property = 'DisplayName'; Descending = $true }
        @{ Sort = 'City asc'; Property = 'City'; Descending = $false }
    ) {
        $sorted = @(Get-CsOnlineUser -Sort $Sort)
        $sorted | Should -HaveCount $script:All.Count
        $values = $sorted.$Property
        $values | Should -Be @($values | Sort-Object -Descending:$Descending -Stable)
    }

    It '-OrderBy is -Sort, and takes a script block' {
        (Get-CsOnlineUser -OrderBy {DisplayName desc} -ResultSize 3).DisplayName |
            Should -Be (Get-CsOnlineUser -Sort 'DisplayName desc' -ResultSize 3).DisplayName
    }

    It '-Sort refuses an unknown property' {
        Get-CsOnlineUser -Sort 'Nope desc' -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].Exception.Message | Should -BeLike "*'Nope'*"
    }
}

Describe 'Object-list properties: TelephoneNumbers and EffectivePolicyAssignments' {
    BeforeAll {
        $script:All = Get-CsOnlineUser
        # The policy properties, in the order of the output.
        $script:Policies = (Get-CsOnlineUser -ResultSize 1).PSObject.Properties.Name |
            Where-Object { $_ -like '*Policy' -or $_ -in 'CallingLineIdentity', 'TenantDialPlan' }
        $script:Policies | Should -Contain 'TeamsUpgradePolicy'
        $script:Policies | Should -Contain 'TenantDialPlan'
        $script:Policies.Count | Should -BeGreaterThan 40
    }

    It 'gives Ken Myer his line as the Primary number and a private line, typed' {
        $ken = Get-CsOnlineUser kenmyer@litwareinc.com
        $ken.TelephoneNumbers | Should -HaveCount 2
        $ken.TelephoneNumbers[0].GetType().Name | Should -Be 'TelephoneNumberAssignment'
        $ken.TelephoneNumbers[0].TelephoneNumber | Should -Be '+1234'
        $ken.TelephoneNumbers[0].AssignmentCategory | Should -Be 'Primary'
        $ken.TelephoneNumbers[1].AssignmentCategory | Should -Be 'Private'
    }

    It 'agrees with LineURI: a user''s Primary number is its line''s, and mixes categories across the tenant' {
        foreach ($user in $script:All) {
            $primary = @($user.TelephoneNumbers | Where-Object AssignmentCategory -eq 'Primary').TelephoneNumber
            if ($user.LineURI) { $primary | Should -Be ($user.LineURI -replace '^tel:') -Because $user.UserPrincipalName }
            else { $primary | Should -BeNullOrEmpty -Because $user.UserPrincipalName }
        }
        $script:All.TelephoneNumbers.AssignmentCategory | Sort-Object -Unique | Should -Be @('Alternate', 'Primary', 'Private')
    }

    It 'lists each assigned policy property of each user as a direct assignment, and nothing else' {
        foreach ($user in $script:All) {
            $assigned = @($script:Policies | Where-Object { $null -ne $user.$_ })
            @($user.EffectivePolicyAssignments.PolicyType) | Should -Be $assigned -Because $user.UserPrincipalName
            foreach ($a in $user.EffectivePolicyAssignments) {
                $a.PolicyAssignment.DisplayName | Should -Be $user.($a.PolicyType)
                $a.PolicyAssignment.AssignmentType | Should -Be 'Direct'
                $a.PolicyAssignment.PolicyId | Should -BeNullOrEmpty
                $a.PolicyAssignment.GroupId | Should -BeNullOrEmpty
            }
        }
        @($script:All | Where-Object { $_.EffectivePolicyAssignments.Count -gt 0 }).Count | Should -BeLessThan $script:All.Count
    }

    It 'follows Grant-CsTeamsUpgradePolicy, as TeamsUpgradePolicy does' {
        Grant-CsTeamsUpgradePolicy -Identity kenmyer@litwareinc.com -PolicyName SfBWithTeamsCollab
        try {
            $ken = Get-CsOnlineUser kenmyer@litwareinc.com
            $ken.TeamsUpgradePolicy | Should -Be 'SfBWithTeamsCollab'
            ($ken.EffectivePolicyAssignments | Where-Object PolicyType -eq 'TeamsUpgradePolicy').PolicyAssignment.DisplayName |
                Should -Be 'SfBWithTeamsCollab'
        }
        finally { Grant-CsTeamsUpgradePolicy -Identity kenmyer@litwareinc.com -PolicyName Islands }
    }

    It 'is empty with -SkipUserPolicies, like the policy properties' {
        (Get-CsOnlineUser kenmyer@litwareinc.com -SkipUserPolicies).EffectivePolicyAssignments | Should -BeNullOrEmpty
        @(Get-CsOnlineUser -SkipUserPolicies).EffectivePolicyAssignments | Should -BeNullOrEmpty
    }

    It '-Filter "<Filter>" selects as Where-Object does' -ForEach @(
        @{ Filter = 'TelephoneNumbers -eq $null'; Where = { $_.TelephoneNumbers.Count -eq 0 } }
        @{ Filter = 'TelephoneNumbers -ne $null'; Where = { $_.TelephoneNumbers.Count -gt 0 } }
        @{ Filter = "TelephoneNumbers -contains '+1234'"; Where = { $_.TelephoneNumbers.TelephoneNumber -contains '+1234' } }
        @{ Filter = "TelephoneNumbers -like '+1425556*'"; Where = { $_.TelephoneNumbers.TelephoneNumber -like '+1425556*' } }
        @{ Filter = 'EffectivePolicyAssignments -eq $null'; Where = { $_.EffectivePolicyAssignments.Count -eq 0 } }
        @{ Filter = 'EffectivePolicyAssignments -ne $null'; Where = { $_.EffectivePolicyAssignments.Count -gt 0 } }
        @{ Filter = "EffectivePolicyAssignments -contains 'TeamsUpgradePolicy'"; Where = { $null -ne $_.TeamsUpgradePolicy } }
        @{ Filter = "EffectivePolicyAssignments -notcontains 'TeamsMeetingPolicy'"; Where = { $null -eq $_.TeamsMeetingPolicy } }
    ) {
        $expected = @($script:All | Where-Object $Where)
        $expected.Count | Should -BeGreaterThan 0
        $expected.Count | Should -BeLessThan $script:All.Count
        @(Get-CsOnlineUser -Filter $Filter).Identity | Should -Be $expected.Identity
    }

    It '-Filter refuses an order comparison on a list of objects, naming what it compares' {
        { Get-CsOnlineUser -Filter { TelephoneNumbers -gt '+1425' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'MeetingMigration.FilterSyntax,*' -ExpectedMessage '*TelephoneNumbers*list of objects*numbers*'
    }

    It '-Sort refuses a list of objects with a clear error' {
        Get-CsOnlineUser -Sort 'EffectivePolicyAssignments' -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].Exception.Message | Should -BeLike '*EffectivePolicyAssignments is a list of objects*Sort-Object*'
    }

    It '-Properties selects them' {
        $one = Get-CsOnlineUser kenmyer@litwareinc.com -Properties TelephoneNumbers, EffectivePolicyAssignments
        $one.PSObject.Properties.Name | Should -Be @('Identity', 'UserPrincipalName', 'Alias', 'AccountEnabled', 'DisplayName', 'TelephoneNumbers', 'EffectivePolicyAssignments')
        $one.TelephoneNumbers.TelephoneNumber | Should -Be @('+1234', '+14255550199')
        $one.EffectivePolicyAssignments.PolicyType | Should -Contain 'TeamsMeetingPolicy'
    }

    It 'writes them as readable text in CSV and keeps the default view as it was' {
        $ken = Get-CsOnlineUser kenmyer@litwareinc.com
        $row = $ken | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $row.TelephoneNumbers | Should -Be '+1234 (Primary);+14255550199 (Private)'
        $row.EffectivePolicyAssignments | Should -Be 'TeamsUpgradePolicy: Islands;ArchivingPolicy: RedmondArchiving;TeamsMeetingPolicy: RestrictedAnonymousAccess'
        $text = $ken | Out-String -Width 80
        $text | Should -Not -Match 'TelephoneNumbers|EffectivePolicyAssignments'
        foreach ($line in ($ken | Format-List * | Out-String -Width 80) -split "`r?`n") { $line.Length | Should -BeLessOrEqual 80 }
    }
}
