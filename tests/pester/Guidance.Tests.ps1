# What a new admin trips over (issue 15): help that is true and points at Microsoft's pages,
# errors whose recommended action says what to do, records that follow each -Confirm answer,
# and tab completion of every identity form and of -Tenant.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    # More than 50 users, so completion of 'user' has to cut its list.
    $script:Store = Initialize-TestStore -UserCount 60 -MeetingsPerUser 1
    $script:Mirrored = @('Start-CsExMeetingMigration', 'Get-CsMeetingMigrationStatus', 'Get-CsOnlineUser',
        'Get-CsTenantMigrationConfiguration', 'Set-CsTenantMigrationConfiguration',
        'Get-CsOnlineDialInConferencingTenantSettings', 'Set-CsOnlineDialInConferencingTenantSettings')

    # The error record of running $Command (a non-terminating error is enough).
    function Get-ErrorOf([scriptblock] $Command) {
        try { $null = & $Command -ErrorAction Stop; throw 'no error' } catch { $_ }
    }
}

AfterAll {
    Remove-TestStore $script:Store
}

Describe 'Help' {
    It 'gives <_> a HelpUri and a first related link to Microsoft''s page' -ForEach @(
        'Start-CsExMeetingMigration', 'Get-CsMeetingMigrationStatus', 'Get-CsOnlineUser',
        'Get-CsTenantMigrationConfiguration', 'Set-CsTenantMigrationConfiguration',
        'Get-CsOnlineDialInConferencingTenantSettings', 'Set-CsOnlineDialInConferencingTenantSettings') {
        $uri = "https://learn.microsoft.com/powershell/module/skype/$($_.ToLowerInvariant())"
        (Get-Command $_).HelpUri | Should -Be $uri
        # Get-Help -Online opens the first related link with a URI.
        @((Get-Help $_ -Full).relatedLinks.navigationLink | Where-Object uri)[0].uri | Should -Be $uri
    }

    It 'links Start-CsExMeetingMigration to Get-CsOnlineDialInConferencingTenantSettings, as Microsoft''s page does' {
        (Get-Help Start-CsExMeetingMigration -Full).relatedLinks.navigationLink.linkText | Should -Contain 'Get-CsOnlineDialInConferencingTenantSettings'
    }

    It 'gives the commands of this module only no HelpUri of Microsoft''s' {
        foreach ($name in 'New-MmsSampleTenant', 'Import-MmsTenantData', 'Export-MmsTenantData', 'Get-MmsTenant', 'New-MmsTenant', 'Set-MmsTenant', 'Get-MmsMeeting', 'Test-MmsStore', 'Backup-MmsStore') {
            (Get-Command $name).HelpUri | Should -Not -Match 'learn\.microsoft\.com'
        }
    }

    It 'types -Tenant as Guid, as Microsoft''s cmdlets do, on every command that has it' {
        $commands = Get-Command -Module MeetingMigration | Where-Object { $_.Parameters.ContainsKey('Tenant') }
        $commands.Count | Should -BeGreaterThan 8
        foreach ($c in $commands) {
            $c.Parameters['Tenant'].ParameterType | Should -Be ([guid]) -Because $c.Name
            (Get-Command $c.Name -Syntax) | Should -Match '-Tenant\]? <guid>(?!\?)' -Because $c.Name
        }
        (Get-Command New-MmsSampleTenant).Parameters['TenantId'].ParameterType | Should -Be ([guid])
    }

    It 'still uses the default tenant when -Tenant is omitted, also between piped records' {
        $other = New-MmsTenant Other -Domain @{ Name = 'other.example'; NetBiosName = 'OTHER' } -Confirm:$false
        # A user object binds its TenantId; the next, a plain string, must not inherit it.
        $records = @((Get-CsOnlineUser -Identity John@contoso.com), 'user2@contoso.com') | Get-MmsMeeting
        $records.Organizer | Sort-Object -Unique | Should -Be @('John@contoso.com', 'user2@contoso.com')
        { Get-CsOnlineUser -Identity John@contoso.com -Tenant $other.TenantId -ErrorAction Stop } | Should -Throw
    }

    It 'says what -UserCount really counts (John and Ken Myer come on top)' {
        $text = (Get-Help New-MmsSampleTenant -Parameter UserCount | Out-String)
        $text | Should -Match 'UserCount \+ 2'
        $tenant = New-MmsSampleTenant -TenantId (New-Guid) -UserCount 3 -MeetingsPerUser 0 -Confirm:$false
        $tenant.UserCount | Should -Be 5
    }

    It 'tells in about_MeetingMigration a temp folder that exists on Linux, and when the store variable is read' {
        $about = Get-Help about_MeetingMigration | Out-String
        $about | Should -Not -Match '\$env:TEMP\b(?! is not)'
        $about | Should -Match 'GetTempPath\(\)'
        $about | Should -Not -Match 'set as the module is\s+imported'
        $about | Should -Match 'read each time a\s+command of the module runs'
    }

    It 'says in the status help that dates are UTC DateTime values' {
        (Get-Help Get-CsMeetingMigrationStatus -Full).alertSet | Out-String | Should -Match 'DateTime values of kind Utc'
    }
}

Describe 'Errors that say what to do' {
    It 'keeps Microsoft''s not-found text and names the default tenant it searched' {
        $e = Get-ErrorOf { Get-MmsMeeting -Identity nobody@contoso.com }
        $e.FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.IdentityNotFound*'
        $e.Exception.Message | Should -Be 'Management object not found for identity "nobody@contoso.com".'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e.ErrorDetails.RecommendedAction | Should -Be "No user matches it in tenant 'Contoso' ($($script:SampleTenantId)), the store's default tenant."
    }

    It 'takes an alias, and suggests DOMAIN\logon or the UPN for a bare word that is no one''s alias' {
        (Get-CsOnlineUser -Identity kenmyer).UserPrincipalName | Should -Be 'kenmyer@litwareinc.com'
        $e = Get-ErrorOf { Start-CsExMeetingMigration kenmyre -Confirm:$false }
        $e.Exception.Message | Should -Be 'Management object not found for identity "kenmyre".'
        $e.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape('No user has that display name or alias; a logon name alone is not an identity: use DOMAIN\logon or the user principal name (for example CONTOSO\kenmyre or kenmyre@contoso.com).'))
        # PowerShell shows it under the error.
        ($e | Out-String -Width 250) | Should -Match 'Recommendation: .*CONTOSO\\kenmyre'
    }

    It 'names the tenant that has the user after the default moved (the README''s Set-MmsTenant -Default)' {
        $fabrikam = New-MmsTenant Fabrikam -Domain @{ Name = 'fabrikam.com'; NetBiosName = 'FABRIKAM' } -Confirm:$false
        try {
            $null = Set-MmsTenant $fabrikam.TenantId -Default -Confirm:$false
            $e = Get-ErrorOf { Get-MmsMeeting -Identity John@contoso.com }
            $e.Exception.Message | Should -Be 'Management object not found for identity "John@contoso.com".'
            $e.ErrorDetails.RecommendedAction | Should -BeLike "No user matches it in tenant 'Fabrikam' ($($fabrikam.TenantId)), the store's default tenant.*add -Tenant $($script:SampleTenantId)."
            # Which works.
            @(Get-MmsMeeting -Identity John@contoso.com -Tenant $script:SampleTenantId).Count | Should -BeGreaterThan 0
        }
        finally { $null = Set-MmsTenant $script:SampleTenantId -Default -Confirm:$false }
    }

    It 'answers a second New-MmsSampleTenant with -TenantId and a new store as the ways out' {
        $e = Get-ErrorOf { New-MmsSampleTenant -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.AlreadyExists*'
        $e.Exception.Message | Should -Match 'already exists'
        $e.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape('add -TenantId (New-Guid)'))
        $e.ErrorDetails.RecommendedAction | Should -Match 'MEETING_MIGRATION_STORE'
    }
}

Describe '-Confirm' {
    It 'writes each record right after its confirmation' {
        $script = Join-Path ([IO.Path]::GetTempPath()) "mms-confirm-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content $script @"
`$env:MEETING_MIGRATION_STORE = '$($script:Store)'
Import-Module '$($script:MmsModulePath)'
'user11@contoso.com', 'user12@contoso.com', 'user13@contoso.com' | Start-CsExMeetingMigration -Confirm | ForEach-Object { "RECORD `$(`$_.UserPrincipalName)" }
"@
        try {
            # The console host reads the answers from redirected stdin: yes, yes, no.
            $output = "y`ny`nn`n" | & $script:Pwsh -NoProfile -File $script 2>&1 | Out-String
            $order = [regex]::Matches($output, 'target "(user1\d@contoso\.com)"|RECORD (user1\d@contoso\.com)') |
                ForEach-Object { if ($_.Groups[1].Success) { "ASK $($_.Groups[1].Value)" } else { "GOT $($_.Groups[2].Value)" } }
            $order | Should -Be @('ASK user11@contoso.com', 'GOT user11@contoso.com', 'ASK user12@contoso.com', 'GOT user12@contoso.com', 'ASK user13@contoso.com') -Because $output
        }
        finally { Remove-Item $script -ErrorAction SilentlyContinue }
        (Get-CsMeetingMigrationStatus -Identity user13@contoso.com) | Should -BeNullOrEmpty
    }

    It 'still writes every record in input order without prompts' {
        $records = 'user21@contoso.com', 'user22@contoso.com', 'user23@contoso.com' | Start-CsExMeetingMigration -Confirm:$false
        $records.UserPrincipalName | Should -Be @('user21@contoso.com', 'user22@contoso.com', 'user23@contoso.com')
    }
}

Describe 'Tab completion' {
    It 'completes SIP addresses from sip:ken' {
        Get-CompletionText 'Get-MmsMeeting -Identity sip:ken' | Should -Contain 'sip:kenmyer@litwareinc.com'
        Get-CompletionText 'Start-CsExMeetingMigration SIP:KEN' | Should -Contain 'sip:kenmyer@litwareinc.com'
    }

    It 'completes domain logons from LITWAREINC\ken' {
        Get-CompletionText 'Get-MmsMeeting -Identity LITWAREINC\ken' | Should -Be @('LITWAREINC\kenmyer')
        Get-CompletionText 'Start-CsExMeetingMigration contoso\user1' | Should -Contain 'CONTOSO\user1'
        Get-CompletionText 'Start-CsExMeetingMigration LITWAREINC\user' | Should -BeNullOrEmpty
    }

    It 'completes -Tenant with the tenant ids, by id or by name' {
        Get-CompletionText 'Get-CsOnlineUser -Tenant ' | Should -Contain "$($script:SampleTenantId)"
        Get-CompletionText 'Get-CsOnlineUser -Tenant 38aad' | Should -Be @("$($script:SampleTenantId)")
        # By name; the default tenant first (another test made a second 'Contoso').
        Get-CompletionText 'Get-CsMeetingMigrationStatus -Tenant Cont' | Select-Object -First 1 | Should -Be "$($script:SampleTenantId)"
        Get-CompletionText 'Set-MmsTenant -Tenant Cont' | Should -Contain "$($script:SampleTenantId)"
        Get-CompletionText 'Get-CsOnlineUser -Tenant Nope' | Should -BeNullOrEmpty
    }

    It 'says when the list is cut at 50' {
        $line = 'Start-CsExMeetingMigration -Identity user'
        $matches50 = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $matches50.Count | Should -Be 51
        $last = $matches50[50]
        $last.ListItemText | Should -Be '... (more than 50 match)'
        $last.ToolTip | Should -Match 'Only the first 50 matches'
        $last.CompletionText | Should -Be 'user'   # choosing it changes nothing
        # Fewer matches: no such entry.
        $few = (TabExpansion2 -inputScript 'Get-MmsMeeting user1' -cursorColumn 20).CompletionMatches
        $few.ListItemText | Should -Not -Contain '... (more than 50 match)'
        $few.CompletionText | Should -Contain 'user1@contoso.com'
    }
}
