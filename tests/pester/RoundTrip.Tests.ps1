# Issue 12 §4: import reads what the product writes. Get-CsOnlineUser output, as
# ConvertTo-Json and as Export-Csv write it, imports into another tenant with the same
# properties; computed ones (TenantId, WindowsDomainLogon) are skipped; an unknown column
# is an error that names it and the columns found.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 12 -MeetingsPerUser 1
    $script:Scratch = New-TestScratch
    $script:Domains = @(
        [MeetingMigration.PowerShell.Model.TenantDomain]@{ Name = 'contoso.com'; NetBiosName = 'CONTOSO' }
        [MeetingMigration.PowerShell.Model.TenantDomain]@{ Name = 'litwareinc.com'; NetBiosName = 'LITWAREINC' }
    )
    # What must survive a round trip: every property but the tenant's own.
    function Get-Comparable([guid] $Tenant) {
        Get-CsOnlineUser -Tenant $Tenant | ForEach-Object {
            $u = $_
            $u.PSObject.Properties.Name | Where-Object { $_ -ne 'TenantId' } | ForEach-Object { "$_=$($u.$_ | ConvertTo-Json -Compress -Depth 5)" }
        }
    }
}

AfterAll {
    Remove-TestStore $script:Store -Scratch $script:Scratch
}

Describe 'Get-CsOnlineUser output imports into another tenant' {
    It 'from ConvertTo-Json -Depth 5, identical but for the tenant' {
        $target = [guid]::NewGuid()
        $null = New-MmsTenant -Name 'Json copy' -TenantId $target -Domain $script:Domains -Confirm:$false
        $file = Join-Path $script:Scratch 'users.json'
        Get-CsOnlineUser | ConvertTo-Json -Depth 5 | Set-Content $file -Encoding utf8
        (Import-MmsTenantData -Path $file -Tenant $target -Confirm:$false).Users | Should -Be 14
        Get-Comparable $target | Should -Be (Get-Comparable $script:SampleTenantId)
    }

    It 'from Export-Csv, with the same directory, account and policy properties' {
        $target = [guid]::NewGuid()
        $null = New-MmsTenant -Name 'Csv copy' -TenantId $target -Domain $script:Domains -Confirm:$false
        $file = Join-Path $script:Scratch 'users.csv'
        Get-CsOnlineUser | Export-Csv -Path $file -NoTypeInformation
        (Import-MmsTenantData -Path $file -Tenant $target -Confirm:$false).Users | Should -Be 14
        $copy = Get-CsOnlineUser -Tenant $target
        $original = Get-CsOnlineUser
        foreach ($p in 'Identity', 'UserPrincipalName', 'SipAddress', 'DisplayName', 'WindowsDomainLogon', 'AccountType', 'AccountEnabled',
            'Department', 'City', 'TeamsUpgradePolicy', 'TeamsUpgradeEffectiveMode', 'ArchivingPolicy', 'LineURI', 'HideFromAddressLists') {
            "$($copy.$p)" | Should -Be "$($original.$p)" -Because $p
        }
        ($copy | ForEach-Object { $_.FeatureTypes -join ';' }) | Should -Be ($original | ForEach-Object { $_.FeatureTypes -join ';' })
        ($copy | ForEach-Object { $_.AssignedPlan.Capability -join ';' }) | Should -Be ($original | ForEach-Object { $_.AssignedPlan.Capability -join ';' })
        foreach ($p in 'TelephoneNumbers', 'EffectivePolicyAssignments') {
            ($copy | ForEach-Object { "$($_.$p)" }) | Should -Be ($original | ForEach-Object { "$($_.$p)" }) -Because $p
        }
        ($copy.TelephoneNumbers | Measure-Object).Count | Should -BeGreaterThan 2
        @(Get-CsOnlineUser -Tenant $target -Filter { TeamsUpgradePolicy -eq $null }).Count |
            Should -Be @(Get-CsOnlineUser -Filter { TeamsUpgradePolicy -eq $null }).Count
    }
}

Describe 'Unexpected input' {
    It 'refuses a CSV with an unknown column, naming it, its close matches and the columns found' {
        $file = Join-Path $script:Scratch 'email.csv'
        'Email,DisplayNme', 'ann@contoso.com,Ann' | Set-Content $file
        Import-MmsTenantData -Path $file -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.ImportFailed,*'
        $failures[0].Exception.Message | Should -BeLike '*Email*is not a user property*columns found: Email, DisplayNme*'
    }

    It 'says so when a CSV is delimited by something else' {
        $file = Join-Path $script:Scratch 'semicolon.csv'
        'UserPrincipalName;DisplayName', 'ann@contoso.com;Ann' | Set-Content $file
        Import-MmsTenantData -Path $file -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].Exception.Message | Should -BeLike '*delimited by something other than commas*'
    }

    It 'refuses an unknown JSON field with its close matches' {
        $file = Join-Path $script:Scratch 'typo.json'
        '[{"UserPrincipalName":"ann@contoso.com","Departmnt":"Sales"}]' | Set-Content $file
        Import-MmsTenantData -Path $file -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].Exception.Message | Should -BeLike '*Departmnt*did you mean Department*'
    }

    It 'refuses a bad value of a typed property, naming the field' {
        $file = Join-Path $script:Scratch 'typed.csv'
        'UserPrincipalName,AccountType,AccountEnabled', 'ann@contoso.com,Robot,True' | Set-Content $file
        Import-MmsTenantData -Path $file -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].Exception.Message | Should -BeLike '*AccountType*Robot*'
    }
}

Describe 'Export-MmsTenantData' {
    BeforeAll {
        # Settings other than the defaults, so that a lost setting shows.
        Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $false -Confirm:$false
        Set-CsOnlineDialInConferencingTenantSettings -PinLength 7 -MaskPstnNumbersType NoMasking -AllowedDialOutExternalDomains fabrikam.com `
            -SendEmailFromAddress Admin@contoso.com -IncludeTollFreeNumberInMeetingInvites $false -Force -Confirm:$false
        Set-MmsFaultInjection -TransientFailureRate 0.2 -PermanentFailureRate 0.01 -Seed 7 -Confirm:$false
        # Every user property but the tenant's own; meetings and settings likewise.
        function Get-Snapshot([guid] $Tenant) {
            $users = Get-CsOnlineUser -Tenant $Tenant | Sort-Object UserPrincipalName
            [pscustomobject]@{
                Users    = @(Get-Comparable $Tenant)
                Meetings = @($users | Get-MmsMeeting | ForEach-Object { $m = $_; $m.PSObject.Properties.Name | Where-Object { $_ -ne 'TenantId' } | ForEach-Object { "$_=$($m.$_ | ConvertTo-Json -Compress)" } })
                Settings = @((Get-CsTenantMigrationConfiguration -Tenant $Tenant), (Get-CsOnlineDialInConferencingTenantSettings -Tenant $Tenant), (Get-MmsFaultInjection -Tenant $Tenant) |
                    ForEach-Object { $s = $_; $s.PSObject.Properties.Name | Where-Object { $_ -ne 'TenantId' } | ForEach-Object { "$_=$($s.$_ | ConvertTo-Json -Compress)" } })
            }
        }
    }

    AfterAll {
        Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true -Confirm:$false
        Set-MmsFaultInjection -Off -Confirm:$false
    }

    It 'writes a private file that Import-MmsTenantData reads back into an identical tenant, settings included' {
        $file = Join-Path $script:Scratch 'tenant.json'
        $written = Export-MmsTenantData -Path $file -Confirm:$false
        $written | Should -BeOfType System.IO.FileInfo
        $written.FullName | Should -Be $file
        if (-not $IsWindows) { [int] (Get-Item $file).UnixFileMode | Should -Be 0x180 }   # 0600
        $original = Get-Snapshot $script:SampleTenantId
        $original.Meetings.Count | Should -BeGreaterThan 12
        $original.Settings.Count | Should -BeGreaterThan 20

        # Meeting ids are unique in a store: the copy goes into another store.
        $copyStore = New-TestStorePath
        $env:MEETING_MIGRATION_STORE = $copyStore
        try {
            $target = [guid]::NewGuid()
            $null = New-MmsTenant -Name 'Exported copy' -TenantId $target -Domain $script:Domains -Confirm:$false
            $summary = Import-MmsTenantData -Path $file -Tenant $target -Confirm:$false
            $summary.Users | Should -Be 14
            $copy = Get-Snapshot $target
            $copy.Users | Should -Be $original.Users
            $copy.Meetings | Should -Be $original.Meetings
            $copy.Settings | Should -Be $original.Settings
            (Get-CsOnlineDialInConferencingTenantSettings -Tenant $target).PinLength | Should -Be 7
            (Get-CsTenantMigrationConfiguration -Tenant $target).MeetingMigrationEnabled | Should -BeFalse
            (Get-MmsFaultInjection -Tenant $target).Seed | Should -Be 7
        }
        finally {
            $env:MEETING_MIGRATION_STORE = $script:Store
            Get-MmsTenant | Out-Null   # back on the suite's store, so the copy can be removed
            if ($copyStore -match '^postgres(ql)?://') {
                $null = Invoke-PostgresTool dropdb @('--force', '--if-exists', ([uri] $copyStore).AbsolutePath.TrimStart('/'))
            }
            else { Remove-Item "$copyStore*" -Force -ErrorAction SilentlyContinue }
        }
    }

    It 'keeps an existing file unless -Force, and replaces a link rather than writing through it' {
        $file = Join-Path $script:Scratch 'kept.json'
        'keep me' | Set-Content $file
        Export-MmsTenantData -Path $file -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.AlreadyExists,*'
        $failures[0].Exception.Message | Should -BeLike '*-Force*'
        Get-Content $file | Should -Be 'keep me'

        $victim = Join-Path $script:Scratch 'victim.txt'
        'not yours' | Set-Content $victim
        $link = Join-Path $script:Scratch 'link.json'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $victim
        Export-MmsTenantData -Path $link -Force -Confirm:$false | Should -Not -BeNullOrEmpty
        Get-Content $victim | Should -Be 'not yours'
        (Get-Item $link).LinkType | Should -BeNullOrEmpty
        (Get-Content $link -Raw | ConvertFrom-Json).Users.Count | Should -Be 14
    }

    It 'writes nothing under -WhatIf' {
        $file = Join-Path $script:Scratch 'whatif.json'
        Export-MmsTenantData -Path $file -WhatIf | Should -BeNullOrEmpty
        Test-Path $file | Should -BeFalse
    }
}
