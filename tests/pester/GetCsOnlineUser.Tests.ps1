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

    It 'rejects a -ResultSize below 1' {
        { Get-CsOnlineUser -ResultSize 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
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
        'CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com') {
        $user = Get-CsOnlineUser -Identity $_
        $user.UserPrincipalName | Should -Be 'kenmyer@litwareinc.com'
        $user.SipAddress | Should -Be 'sip:kenmyer@litwareinc.com'
        $user.DistinguishedName | Should -Be 'CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com'
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
