# Start-CsExMeetingMigration: parameters, identity forms and errors,
# pipelines, ShouldProcess, batching, errors and -Verbose. -AsJob is in Jobs.Tests.ps1.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 1100 -MeetingsPerUser 2
    $script:Ken = Get-CsOnlineUser -Identity kenmyer@litwareinc.com
    $script:Scratch = New-TestScratch
}

AfterAll {
    Remove-TestStore $script:Store -Scratch $script:Scratch
}

Describe 'Parameters' {
    BeforeAll { $script:Command = Get-Command Start-CsExMeetingMigration }

    It 'takes -Identity first, mandatory, from the pipeline by value and by property name' {
        $identity = $script:Command.Parameters['Identity']
        $attribute = $identity.Attributes | Where-Object { $_ -is [Parameter] }
        $attribute.Position | Should -Be 0
        $attribute.Mandatory | Should -BeTrue
        $attribute.ValueFromPipeline | Should -BeTrue
        $attribute.ValueFromPipelineByPropertyName | Should -BeTrue
        $identity.Aliases | Should -Be @('UserPrincipalName', 'SipAddress', 'UserId')
    }

    It 'has -SourceMeetingType, -TargetMeetingType, -Tenant as a Guid, -AsJob and ShouldProcess' {
        $script:Command.Parameters.Keys | Should -Contain 'SourceMeetingType'
        $script:Command.Parameters.Keys | Should -Contain 'TargetMeetingType'
        $script:Command.Parameters['Tenant'].ParameterType | Should -Be ([guid])
        $script:Command.Parameters['AsJob'].SwitchParameter | Should -BeTrue
        $script:Command.Parameters.Keys | Should -Contain 'WhatIf'
        $script:Command.Parameters.Keys | Should -Contain 'Confirm'
        $script:Command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact |
            Should -Be 'Medium'
    }

    It 'tab-completes the meeting types' {
        Get-CompletionText 'Start-CsExMeetingMigration -SourceMeetingType ' | Should -Be @('All', 'SfB', 'Teams')
        Get-CompletionText 'Start-CsExMeetingMigration -TargetMeetingType T' | Should -Be @('Teams')
    }

    It 'tab-completes -Identity with UPNs from the directory' {
        Get-CompletionText 'Start-CsExMeetingMigration -Identity kenm' | Should -Be @('kenmyer@litwareinc.com')
        Get-CompletionText 'Start-CsExMeetingMigration JOH' | Should -Contain 'John@contoso.com'
    }

    It 'rejects an unknown meeting type' {
        { Start-CsExMeetingMigration user1@contoso.com -SourceMeetingType Lync -Confirm:$false } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,MeetingMigration.PowerShell.Commands.StartCsExMeetingMigrationCommand'
    }

    It 'rejects a -Tenant that is not a GUID before any work' {
        { Start-CsExMeetingMigration user1@contoso.com -Tenant 'contoso' -Confirm:$false } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
    }
}

Describe 'Queuing' {
    It 'queues a migration and returns its Pending status record' {
        $status = Start-CsExMeetingMigration -Identity John@contoso.com -Confirm:$false
        $status | Should -HaveCount 1
        $status.GetType().FullName | Should -Be 'MeetingMigration.PowerShell.Model.MigrationStatus'
        $status.UserPrincipalName | Should -Be 'John@contoso.com'
        $status.State | Should -Be 'Pending'
        $status.MigrationType | Should -Be 'ToSameType'
        $status.CorrelationId | Should -Not -Be ([guid]::Empty)
        $status.CreateDate.Kind | Should -Be 'Utc'
        $status.ModifiedDate.Kind | Should -Be 'Utc'
        foreach ($field in 'CorrelationId', 'UserId', 'UserPrincipalName', 'MigrationType', 'State', 'RetryCount', 'TotalMeeting',
            'SucceededMeeting', 'FailedMeeting', 'InvitesUpdate', 'LastMessage', 'CreateDate', 'ModifiedDate') {
            $status.PSObject.Properties.Name | Should -Contain $field
        }
    }

    It 'takes the identity positionally' {
        (Start-CsExMeetingMigration user1@contoso.com -Confirm:$false).UserPrincipalName | Should -Be 'user1@contoso.com'
    }

    It 'records <Expected> for -SourceMeetingType <Source> -TargetMeetingType <Target>' -ForEach @(
        @{ User = 'user11@contoso.com'; Source = 'All'; Target = 'Current'; Expected = 'ToSameType' }
        @{ User = 'user12@contoso.com'; Source = 'All'; Target = 'Teams'; Expected = 'AllToTeams' }
        @{ User = 'user13@contoso.com'; Source = 'SfB'; Target = 'Current'; Expected = 'SfbToSfb' }
        @{ User = 'user14@contoso.com'; Source = 'SfB'; Target = 'Teams'; Expected = 'SfbToTeams' }
        @{ User = 'user15@contoso.com'; Source = 'Teams'; Target = 'Current'; Expected = 'TeamsToTeams' }
        @{ User = 'user16@contoso.com'; Source = 'Teams'; Target = 'Teams'; Expected = 'TeamsToTeams' }
    ) {
        $status = Start-CsExMeetingMigration $User -SourceMeetingType $Source -TargetMeetingType $Target -Confirm:$false
        $status.MigrationType | Should -Be $Expected
    }

    It 'accepts the meeting types in any case' {
        (Start-CsExMeetingMigration user17@contoso.com -SourceMeetingType sfb -TargetMeetingType TEAMS -Confirm:$false).MigrationType |
            Should -Be 'SfbToTeams'
    }

    It 'queues in the named tenant' {
        (Start-CsExMeetingMigration user18@contoso.com -Tenant $script:SampleTenantId -Confirm:$false).TenantId |
            Should -Be $script:SampleTenantId
    }

    It 'says with -Verbose what was resolved and queued' {
        $verbose = Start-CsExMeetingMigration 'sip:user19@contoso.com' -Confirm:$false -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match "Resolved 'sip:user19@contoso.com' to user19@contoso.com"
        ($verbose.Message -join "`n") | Should -Match 'Queued ToSameType meeting migration for user19@contoso.com \(CorrelationId'
    }
}

Describe 'Identity forms' {
    BeforeAll { Set-CsTenantMigrationConfiguration -HoldMinutes 600 -Confirm:$false }
    AfterAll { Set-CsTenantMigrationConfiguration -HoldMinutes 0 -Confirm:$false }

    It 'resolves <Name> to Ken Myer' -ForEach @(
        @{ Name = 'a SIP address'; Identity = 'sip:kenmyer@litwareinc.com' }
        @{ Name = 'a SIP address with an upper-case prefix'; Identity = 'SIP:KenMyer@LitwareInc.com' }
        @{ Name = 'a UPN'; Identity = 'kenmyer@litwareinc.com' }
        @{ Name = 'a UPN in another case with spaces around'; Identity = '  KENMYER@litwareinc.COM  ' }
        @{ Name = 'domain and logon'; Identity = 'litwareinc\kenmyer' }
        @{ Name = 'the display name'; Identity = 'Ken Myer' }
        @{ Name = 'the distinguished name'; Identity = 'CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com' }
        @{ Name = 'the distinguished name spaced and cased differently'; Identity = 'cn=Ken Myer, ou=Redmond, dc=LitwareInc, dc=com' }
    ) {
        $status = Start-CsExMeetingMigration -Identity $Identity -Confirm:$false -WarningAction SilentlyContinue
        $status.UserPrincipalName | Should -Be 'kenmyer@litwareinc.com'
    }

    It 'resolves the object id' {
        $status = Start-CsExMeetingMigration -Identity $script:Ken.Identity.ToString() -Confirm:$false -WarningAction SilentlyContinue
        $status.UserId | Should -Be $script:Ken.Identity
    }

    It 'returns the open request with a warning instead of queuing a second one' {
        $first = Start-CsExMeetingMigration user20@contoso.com -Confirm:$false
        $second = Start-CsExMeetingMigration user20@contoso.com -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $second.CorrelationId | Should -Be $first.CorrelationId
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -Match 'user20@contoso.com already has a Pending meeting migration'
        @(Get-CsMeetingMigrationStatus -Identity user20@contoso.com) | Should -HaveCount 1
    }

    It 'keeps input order when an open request is returned among newly queued ones' {
        $queued = Start-CsExMeetingMigration user71@contoso.com -Confirm:$false
        $statuses = 'user72@contoso.com', 'user71@contoso.com', 'user73@contoso.com' |
            Start-CsExMeetingMigration -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        @($statuses.UserPrincipalName) | Should -Be @('user72@contoso.com', 'user71@contoso.com', 'user73@contoso.com')
        $statuses[1].CorrelationId | Should -Be $queued.CorrelationId
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -Match 'user71@contoso.com already has a Pending meeting migration'
    }

    It 'says in the WhatIf line that the open request is returned' {
        $open = Get-CsMeetingMigrationStatus -Identity user71@contoso.com
        $line = & $script:Pwsh -NoProfile -NonInteractive -Command "
            `$env:MEETING_MIGRATION_STORE = '$($script:Store)'
            Import-Module '$($script:MmsModulePath)'
            Start-CsExMeetingMigration user71@contoso.com -WhatIf"
        ($line -join "`n") | Should -Match "What if: .*Return the open meeting migration \(Pending, ToSameType, CorrelationId $($open.CorrelationId)\).*user71@contoso\.com"
        @(Get-CsMeetingMigrationStatus -Identity user71@contoso.com) | Should -HaveCount 1
    }
}

Describe 'Identity errors' {
    It 'reports an unknown user as ObjectNotFound with the input as target' {
        Start-CsExMeetingMigration nobody@contoso.com -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.IdentityNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'nobody@contoso.com'
        $failures[0].Exception.Message | Should -Be 'Management object not found for identity "nobody@contoso.com".'
    }

    It 'doubles quotes inside the identity in the message' {
        Start-CsExMeetingMigration 'say "hi"' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].Exception.Message | Should -Be 'Management object not found for identity "say ""hi""".'
    }

    It 'refuses wildcards' {
        Start-CsExMeetingMigration 'user*' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.WildcardNotAllowed,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].Exception.Message | Should -Match 'wildcard'
    }

    It 'refuses a bare word that is no one''s alias or display name' {
        Start-CsExMeetingMigration 'kenmyre' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.*'
    }

    It 'never picks one of two users with the same display name' {
        $file = Join-Path $script:Scratch 'twin.csv'
        'UserPrincipalName,DisplayName', 'ken.myer@contoso.com,Ken Myer' | Set-Content $file
        $null = Import-MmsTenantData -Path $file -Confirm:$false
        Start-CsExMeetingMigration 'Ken Myer' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.IdentityAmbiguous,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].Exception.Message | Should -Match 'kenmyer@litwareinc\.com'
        $failures[0].Exception.Message | Should -Match 'ken\.myer@contoso\.com'
    }

    It 'reports an unknown tenant' {
        Start-CsExMeetingMigration John@contoso.com -Tenant ([guid]::NewGuid()) -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.TenantNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'writes each bad pipeline item as a non-terminating error and goes on' {
        $statuses = 'user21@contoso.com', 'nobody1@contoso.com', 'user22@contoso.com', 'nobody2@contoso.com' |
            Start-CsExMeetingMigration -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $statuses.UserPrincipalName | Should -Be @('user21@contoso.com', 'user22@contoso.com')
        $failures | Should -HaveCount 2
        $failures.TargetObject | Should -Be @('nobody1@contoso.com', 'nobody2@contoso.com')
    }

    It 'stops at the first error with -ErrorAction Stop' {
        { 'nobody3@contoso.com', 'user23@contoso.com' | Start-CsExMeetingMigration -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'MeetingMigration.IdentityNotFound,MeetingMigration.PowerShell.Commands.StartCsExMeetingMigrationCommand'
        Get-CsMeetingMigrationStatus -Identity user23@contoso.com | Should -BeNullOrEmpty
    }

    It 'commits the items confirmed before an error that stops the pipeline' {
        { 'user24@contoso.com', 'nobody4@contoso.com' | Start-CsExMeetingMigration -Confirm:$false -ErrorAction Stop } | Should -Throw
        Get-CsMeetingMigrationStatus -Identity user24@contoso.com | Should -HaveCount 1
    }

    It 'reports nothing as queued when -ErrorAction Stop ends it on a refused request' {
        # The host's lines are what a person sees: run it where they can be read.
        $store = New-TestStorePath
        $command = "`$env:MEETING_MIGRATION_STORE = '$store'; Import-Module '$($script:MmsModulePath)'; " +
            "`$null = New-MmsSampleTenant -UserCount 3 -Confirm:`$false; Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled `$false -Confirm:`$false; " +
            "try { Start-CsExMeetingMigration user2@contoso.com -Confirm:`$false -ErrorAction Stop } catch { 'refused: ' + `$_.FullyQualifiedErrorId }"
        try {
            $seen = (& $script:Pwsh -NoProfile -NonInteractive -Command $command *>&1) -join "`n"
            $seen | Should -Match 'refused: MeetingMigration.MigrationDisabled'
            $seen | Should -Not -Match 'stopped after its batch was committed'
        }
        finally { Remove-Item "$store*" -Force -ErrorAction SilentlyContinue }
    }

    It 'refuses when the tenant has migration turned off, naming the fix' {
        Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $false -Confirm:$false
        try {
            Start-CsExMeetingMigration user25@contoso.com -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.MigrationDisabled,*'
            $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            $failures[0].Exception.Message | Should -Match 'Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled \$true'
            $failures[0].TargetObject | Should -Be 'user25@contoso.com'
        }
        finally { Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true -Confirm:$false }
    }
}

Describe 'Pipelines' {
    It 'takes Import-Csv rows with a UserPrincipalName column' {
        $file = Join-Path $script:Scratch 'upn.csv'
        'UserPrincipalName', 'user31@contoso.com', 'user32@contoso.com' | Set-Content $file
        (Import-Csv $file | Start-CsExMeetingMigration -Confirm:$false).UserPrincipalName | Should -Be @('user31@contoso.com', 'user32@contoso.com')
    }

    It 'takes Import-Csv rows with a SipAddress column' {
        $file = Join-Path $script:Scratch 'sip.csv'
        'SipAddress,Department', 'sip:user33@contoso.com,Sales' | Set-Content $file
        (Import-Csv $file | Start-CsExMeetingMigration -Confirm:$false).UserPrincipalName | Should -Be 'user33@contoso.com'
    }

    It 'takes Import-Csv rows with a UserId column' {
        $file = Join-Path $script:Scratch 'id.csv'
        $user = Get-CsOnlineUser user34@contoso.com
        'UserId', $user.Identity | Set-Content $file
        (Import-Csv $file | Start-CsExMeetingMigration -Confirm:$false).UserPrincipalName | Should -Be 'user34@contoso.com'
    }

    It 'takes user objects from Get-CsOnlineUser, as Microsoft''s loop is written' {
        $statuses = Get-CsOnlineUser -Filter { UserPrincipalName -like 'user4?@contoso.com' } |
            Start-CsExMeetingMigration -SourceMeetingType SfB -TargetMeetingType Teams -Confirm:$false
        $statuses | Should -HaveCount 10
        $statuses.MigrationType | Sort-Object -Unique | Should -Be 'SfbToTeams'
    }

    It 'takes a user object passed as the value of -Identity by its UserPrincipalName' {
        $user = Get-CsOnlineUser user50@contoso.com
        (Start-CsExMeetingMigration -Identity $user -Confirm:$false).UserPrincipalName | Should -Be 'user50@contoso.com'
    }

    It 'takes a status record passed as -Identity or piped' {
        $status = Get-CsMeetingMigrationStatus -Identity user31@contoso.com | Select-Object -First 1
        Wait-MigrationIdle -Identity user31@contoso.com
        (Start-CsExMeetingMigration -Identity $status -Confirm:$false).UserPrincipalName | Should -Be 'user31@contoso.com'
        Wait-MigrationIdle -Identity user31@contoso.com
        ($status | Start-CsExMeetingMigration -Confirm:$false).UserPrincipalName | Should -Be 'user31@contoso.com'
    }

    It 'commits more than one batch and writes every record once' {
        $upns = 101..1100 | ForEach-Object { "user$_@contoso.com" }
        $statuses = $upns | Start-CsExMeetingMigration -Confirm:$false
        $statuses | Should -HaveCount 1000
        @($statuses.UserPrincipalName) | Should -Be $upns
        @($statuses.CorrelationId | Sort-Object -Unique) | Should -HaveCount 1000
    }

    It 'keeps records and errors in input order across batches' {
        $ids = 1..1100 | ForEach-Object { $_ % 250 ? "user$_@contoso.com" : "nobody$_@contoso.com" }
        $out = $ids | Start-CsExMeetingMigration -Confirm:$false -ErrorAction Continue 2>&1 3>$null
        $out | Should -HaveCount 1100
        @($out | ForEach-Object { $_ -is [System.Management.Automation.ErrorRecord] ? "error $($_.TargetObject)" : $_.UserPrincipalName }) |
            Should -Be @($ids | ForEach-Object { $_ -like 'nobody*' ? "error $_" : $_ })
    }
}

Describe 'ShouldProcess' {
    It 'queues without asking with -Confirm:$false when $ConfirmPreference is Low' {
        $ConfirmPreference = 'Low'
        (Start-CsExMeetingMigration user60@contoso.com -Confirm:$false).State | Should -Be 'Pending'
    }

    It 'asks for every item in input order, errors in place, while previews are made in batches' {
        $lines = & $script:Pwsh -NoProfile -NonInteractive -Command "
            `$env:MEETING_MIGRATION_STORE = '$($script:Store)'
            Import-Module '$($script:MmsModulePath)'
            1..1100 | ForEach-Object { `$_ % 250 ? `"user`$_@contoso.com`" : `"nobody`$_@contoso.com`" } |
                Start-CsExMeetingMigration -WhatIf 2>&1 | ForEach-Object { 'error on ' + `$_.TargetObject }"
        $asked = $lines | ForEach-Object {
            if ($_ -match '^What if: .* on target "([^"]+)"\.$') { $Matches[1] } elseif ($_ -match '^error on (.+)$') { "error $($Matches[1])" }
        }
        @($asked) | Should -Be @(1..1100 | ForEach-Object { $_ % 250 ? "user$_@contoso.com" : "error nobody$_@contoso.com" })
    }

    Context 'on an idle store' {
        BeforeAll {
            $script:IdleStore = New-TestStorePath
            $env:MEETING_MIGRATION_STORE = $script:IdleStore
            $null = New-MmsSampleTenant -UserCount 10 -Confirm:$false
            $null = Get-MmsTenant
        }
        AfterAll {
            $env:MEETING_MIGRATION_STORE = $script:Store
            $null = Get-MmsTenant
            Remove-Item "$($script:IdleStore)*" -Force -ErrorAction SilentlyContinue
        }

        It 'changes nothing with -WhatIf (store hashed from another process)' {
            $before = Get-StoreHash $script:IdleStore
            Start-CsExMeetingMigration John@contoso.com -WhatIf | Should -BeNullOrEmpty
            'kenmyer@litwareinc.com', 'user1@contoso.com' | Start-CsExMeetingMigration -SourceMeetingType SfB -TargetMeetingType Teams -WhatIf
            Start-CsExMeetingMigration user2@contoso.com -AsJob -WhatIf | Should -BeNullOrEmpty
            Get-StoreHash $script:IdleStore | Should -Be $before
            Get-CsMeetingMigrationStatus | Should -BeNullOrEmpty
        }

        It 'names the user, the migration type and the meeting count in the WhatIf line' {
            $meetings = Get-MmsMeeting kenmyer@litwareinc.com
            $line = & $script:Pwsh -NoProfile -NonInteractive -Command "
                `$env:MEETING_MIGRATION_STORE = '$($script:IdleStore)'
                Import-Module '$($script:MmsModulePath)'
                Start-CsExMeetingMigration kenmyer@litwareinc.com -TargetMeetingType Teams -WhatIf"
            ($line -join "`n") | Should -Match 'What if: .*Start meeting migration \(AllToTeams, \d+ meetings\).*kenmyer@litwareinc\.com'
            $meetings | Should -Not -BeNullOrEmpty
        }
    }
}
