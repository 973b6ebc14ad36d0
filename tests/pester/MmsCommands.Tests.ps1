# The product's own commands: New-MmsSampleTenant, Import-MmsTenantData,
# Get-/New-/Set-MmsTenant and Get-MmsMeeting.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -Empty
    $script:Scratch = New-TestScratch
}

AfterAll {
    Remove-TestStore $script:Store -Scratch $script:Scratch
}

Describe 'New-MmsSampleTenant' {
    It 'creates the sample tenant with its defaults, which becomes the default tenant' {
        $tenant = New-MmsSampleTenant -Confirm:$false
        $tenant.GetType().FullName | Should -Be 'MeetingMigration.PowerShell.Model.MmsTenant'
        $tenant.TenantId | Should -Be $script:SampleTenantId
        $tenant.IsDefault | Should -BeTrue
        $tenant.Domains.Name | Should -Contain 'contoso.com'
        $tenant.Domains.Name | Should -Contain 'litwareinc.com'
        ($tenant.Domains | Where-Object Name -EQ 'litwareinc.com').NetBiosName | Should -Be 'LITWAREINC'
        $tenant.UserCount | Should -Be 102  # John, Ken Myer and user1..user100
    }

    It 'contains John and Ken Myer with all their identities' {
        (Get-CsOnlineUser John@contoso.com).UserPrincipalName | Should -Be 'John@contoso.com'
        $ken = Get-CsOnlineUser kenmyer@litwareinc.com
        $ken.SipAddress | Should -Be 'sip:kenmyer@litwareinc.com'
        $ken.WindowsDomainLogon | Should -Be 'LITWAREINC\kenmyer'
        $ken.DistinguishedName | Should -Be 'CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com'
        (Get-CsOnlineUser user1@contoso.com).UserPrincipalName | Should -Be 'user1@contoso.com'
    }

    It 'gives John future, past, recurring, Skype and Teams meetings, one with more than 250 attendees' {
        $meetings = Get-MmsMeeting John@contoso.com
        $meetings.MeetingType | Should -Contain 'Teams'
        ($meetings.MeetingType | Where-Object { $_ -like 'Sfb*' }) | Should -Not -BeNullOrEmpty
        ($meetings | Where-Object { $_.RecurrenceEnd }) | Should -Not -BeNullOrEmpty
        ($meetings | Where-Object { $_.EndTime -lt [DateTime]::UtcNow -and -not $_.RecurrenceEnd }) | Should -Not -BeNullOrEmpty
        ($meetings | Where-Object { $_.StartTime -gt [DateTime]::UtcNow }) | Should -Not -BeNullOrEmpty
        ($meetings | Where-Object AttendeeCount -GT 250) | Should -Not -BeNullOrEmpty
    }

    It 'is deterministic for a seed' {
        $id = [guid]::NewGuid()
        $null = New-MmsSampleTenant -TenantId $id -UserCount 10 -MeetingsPerUser 2 -Seed 7 -Confirm:$false
        $first = Get-MmsMeeting user3@contoso.com -Tenant $id | Select-Object Subject, MeetingType, AttendeeCount, @{ n = 'Minutes'; e = { ($_.EndTime - $_.StartTime).TotalMinutes } }
        $other = New-TestStorePath
        try {
            $env:MEETING_MIGRATION_STORE = $other
            $null = New-MmsSampleTenant -TenantId $id -UserCount 10 -MeetingsPerUser 2 -Seed 7 -Confirm:$false
            $second = Get-MmsMeeting user3@contoso.com -Tenant $id | Select-Object Subject, MeetingType, AttendeeCount, @{ n = 'Minutes'; e = { ($_.EndTime - $_.StartTime).TotalMinutes } }
            ($second | ConvertTo-Json) | Should -Be ($first | ConvertTo-Json)
        }
        finally {
            $env:MEETING_MIGRATION_STORE = $script:Store
            $null = Get-MmsTenant
            Remove-Item "$other*" -Force -ErrorAction SilentlyContinue
        }
    }

    It 'creates nothing with -WhatIf' {
        $count = @(Get-MmsTenant).Count
        New-MmsSampleTenant -TenantId ([guid]::NewGuid()) -WhatIf | Should -BeNullOrEmpty
        @(Get-MmsTenant).Count | Should -Be $count
    }
}

Describe 'Tenants' {
    It 'lists the tenants with the default marked' {
        $tenants = Get-MmsTenant
        @($tenants | Where-Object IsDefault) | Should -HaveCount 1
        ($tenants | Where-Object IsDefault).TenantId | Should -Be $script:SampleTenantId
    }

    It 'creates a tenant with New-MmsTenant' {
        $id = [guid]::NewGuid()
        $tenant = New-MmsTenant -Name Fabrikam -TenantId $id -Domain @{ Name = 'fabrikam.com'; NetBiosName = 'FABRIKAM' } -Confirm:$false
        $tenant.TenantId | Should -Be $id
        $tenant.Name | Should -Be 'Fabrikam'
        $tenant.Domains[0].NetBiosName | Should -Be 'FABRIKAM'
        $tenant.IsDefault | Should -BeFalse
        (Get-MmsTenant).TenantId | Should -Contain $id
        $script:Fabrikam = $id
    }

    It 'refuses a second tenant with the same id' {
        New-MmsTenant -Name Again -TenantId $script:Fabrikam -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.AlreadyExists,*'
    }

    It 'makes another tenant the default with Set-MmsTenant -Default' {
        try {
            (Set-MmsTenant $script:Fabrikam -Default -PassThru -Confirm:$false).IsDefault | Should -BeTrue
            (Get-MmsTenant | Where-Object IsDefault).TenantId | Should -Be $script:Fabrikam
            Get-CsOnlineUser | Should -BeNullOrEmpty
        }
        finally { Get-MmsTenant | Where-Object TenantId -EQ $script:SampleTenantId | Set-MmsTenant -Default -Confirm:$false }
        (Get-MmsTenant | Where-Object IsDefault).TenantId | Should -Be $script:SampleTenantId
    }

    It 'reports an unknown tenant to Set-MmsTenant' {
        Set-MmsTenant ([guid]::NewGuid()) -Default -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.TenantNotFound,*'
    }
}

Describe 'Import-MmsTenantData' {
    It 'imports users and meetings from JSON' {
        $file = Join-Path $script:Scratch 'fabrikam.json'
        $start = [DateTime]::UtcNow.AddDays(3).ToString('o')
        $end = [DateTime]::UtcNow.AddDays(3).AddHours(1).ToString('o')
        @{
            Users    = @(
                @{ UserPrincipalName = 'ann@fabrikam.com'; DisplayName = 'Ann Beebe'; SamAccountName = 'ann'; TeamsUpgradeEffectiveMode = 'TeamsOnly' }
                @{ UserPrincipalName = 'bob@fabrikam.com'; SipAddress = 'sip:bob@fabrikam.com' }
            )
            Meetings = @(
                @{ Organizer = 'ann@fabrikam.com'; Subject = 'Planning – ünïcode ✓'; StartTime = $start; EndTime = $end; MeetingType = 'SfbOnline'; Attendees = @('bob@fabrikam.com') }
            )
        } | ConvertTo-Json -Depth 5 | Set-Content $file -Encoding utf8
        $summary = Import-MmsTenantData -Path $file -Tenant $script:Fabrikam -Confirm:$false
        $summary.Users | Should -Be 2
        $summary.Meetings | Should -Be 1
        (Get-CsOnlineUser 'FABRIKAM\ann' -Tenant $script:Fabrikam).DisplayName | Should -Be 'Ann Beebe'
        (Get-MmsMeeting ann@fabrikam.com -Tenant $script:Fabrikam).Subject | Should -Be 'Planning – ünïcode ✓'
    }

    It 'imports users from CSV, taking the path from the pipeline' {
        $file = Join-Path $script:Scratch 'more.csv'
        'UserPrincipalName,DisplayName', 'cat@fabrikam.com,Cat', 'dan@fabrikam.com,Dan' | Set-Content $file
        (Get-Item $file | Import-MmsTenantData -Tenant $script:Fabrikam -Confirm:$false).Users | Should -Be 2
        @(Get-CsOnlineUser -Tenant $script:Fabrikam) | Should -HaveCount 4
    }

    It 'imports nothing when one record is bad, naming the record and the field' {
        $file = Join-Path $script:Scratch 'bad.csv'
        'UserPrincipalName,TeamsUpgradeEffectiveMode', 'eve@fabrikam.com,TeamsOnly', 'fay@fabrikam.com,Sometimes' | Set-Content $file
        Import-MmsTenantData $file -Tenant $script:Fabrikam -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.ImportFailed,*'
        $failures[0].Exception.Message | Should -Match 'line 3'
        $failures[0].Exception.Message | Should -Match 'TeamsUpgradeEffectiveMode'
        @(Get-CsOnlineUser -Tenant $script:Fabrikam) | Should -HaveCount 4
    }

    It 'reports a missing file' {
        Import-MmsTenantData (Join-Path $script:Scratch 'missing.json') -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.*'
    }

    It 'imports a large file with progress' {
        $file = Join-Path $script:Scratch 'large.csv'
        @('UserPrincipalName') + (1..20000 | ForEach-Object { "bulk$_@fabrikam.com" }) | Set-Content $file
        (Import-MmsTenantData $file -Tenant $script:Fabrikam -Confirm:$false).Users | Should -Be 20000
    }

    It 'imports nothing when writing progress fails (the import is cancelled, the cause rethrown)' {
        $file = Join-Path $script:Scratch 'stopped.csv'
        @('UserPrincipalName') + (1..3000 | ForEach-Object { "stopped$_@fabrikam.com" }) | Set-Content $file
        $before = @(Get-CsOnlineUser -Tenant $script:Fabrikam).Count
        $ProgressPreference = 'Stop'
        $failure = { Import-MmsTenantData $file -Tenant $script:Fabrikam -Confirm:$false } | Should -Throw -PassThru
        $ProgressPreference = 'SilentlyContinue'
        # The progress error itself, not the library's Cancelled error.
        $failure.Exception | Should -BeOfType ([System.Management.Automation.ActionPreferenceStopException])
        $failure.Exception.Message | Should -Match 'ProgressPreference'
        @(Get-CsOnlineUser -Tenant $script:Fabrikam).Count | Should -Be $before
        Get-CsOnlineUser stopped1@fabrikam.com -Tenant $script:Fabrikam -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        # The store is still usable: the same file imports once progress can be written.
        (Import-MmsTenantData $file -Tenant $script:Fabrikam -Confirm:$false).Users | Should -Be 3000
    }

    It 'imports nothing with -WhatIf' {
        $file = Join-Path $script:Scratch 'whatif.csv'
        'UserPrincipalName', 'gus@fabrikam.com' | Set-Content $file
        Import-MmsTenantData $file -Tenant $script:Fabrikam -WhatIf | Should -BeNullOrEmpty
        Get-CsOnlineUser gus@fabrikam.com -Tenant $script:Fabrikam -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Get-MmsMeeting' {
    It 'shows what a migration changed' {
        $before = Get-MmsMeeting -Identity kenmyer@litwareinc.com
        $before | Should -Not -BeNullOrEmpty
        $before[0].GetType().FullName | Should -Be 'MeetingMigration.PowerShell.Model.MmsMeeting'
        $before[0].OnlineMeetingBlock | Should -Not -BeNullOrEmpty
        $status = Start-CsExMeetingMigration kenmyer@litwareinc.com -TargetMeetingType Teams -Confirm:$false
        Wait-MigrationIdle
        (Get-CsMeetingMigrationStatus -CorrelationId $status.CorrelationId).State | Should -Be 'Succeeded'
        $after = Get-MmsMeeting kenmyer@litwareinc.com
        $changed = $after | Where-Object { $m = $_; $b = $before | Where-Object MeetingId -EQ $m.MeetingId; $b.JoinUrl -ne $m.JoinUrl }
        $changed | Should -Not -BeNullOrEmpty
        ($after | Where-Object { $_.EndTime -gt [DateTime]::UtcNow -and $_.AttendeeCount -le 250 }).MeetingType |
            Sort-Object -Unique | Should -Be 'Teams'
    }

    It 'takes user objects from the pipeline, in their tenant' {
        (Get-CsOnlineUser ann@fabrikam.com -Tenant $script:Fabrikam | Get-MmsMeeting).Organizer | Should -Be 'ann@fabrikam.com'
    }

    It 'reports an unknown user' {
        Get-MmsMeeting nobody@contoso.com -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.IdentityNotFound,*'
    }

    It 'tab-completes -Identity' {
        Get-CompletionText 'Get-MmsMeeting -Identity kenm' | Should -Be 'kenmyer@litwareinc.com'
    }
}
