# Get-CsMeetingMigrationStatus: filters, summary, one request in detail
# with queue position and per-meeting outcomes, and Microsoft's failure recipe.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 20 -MeetingsPerUser 4
    $script:Started = [DateTime]::UtcNow.AddSeconds(-1)
    $script:First = Start-CsExMeetingMigration John@contoso.com -Confirm:$false
    $script:Second = Start-CsExMeetingMigration kenmyer@litwareinc.com -SourceMeetingType SfB -TargetMeetingType Teams -Confirm:$false
    Wait-MigrationIdle
    $script:Third = Start-CsExMeetingMigration John@contoso.com -TargetMeetingType Teams -Confirm:$false
    Wait-MigrationIdle
}

AfterAll {
    Remove-TestStore $script:Store
}

Describe 'Records' {
    It 'returns one record per request, oldest first, with the real field names' {
        $all = Get-CsMeetingMigrationStatus
        $all | Should -HaveCount 3
        $all.CorrelationId | Should -Be @($script:First.CorrelationId, $script:Second.CorrelationId, $script:Third.CorrelationId)
        foreach ($field in 'CorrelationId', 'UserId', 'UserPrincipalName', 'MigrationType', 'State', 'RetryCount', 'TotalMeeting',
            'SucceededMeeting', 'FailedMeeting', 'InvitesUpdate', 'LastMessage', 'CreateDate', 'ModifiedDate') {
            $all[0].PSObject.Properties.Name | Should -Contain $field
        }
        $all[0].CreateDate.Kind | Should -Be 'Utc'
    }

    It 'counts the migrated meetings of a finished request' {
        $done = Get-CsMeetingMigrationStatus -Identity kenmyer@litwareinc.com
        $done.State | Should -Be 'Succeeded'
        $done.TotalMeeting | Should -Be ($done.SucceededMeeting + $done.FailedMeeting)
    }

    It 'filters by -Identity in any form, positionally' {
        (Get-CsMeetingMigrationStatus 'sip:john@contoso.com').CorrelationId | Should -Be @($script:First.CorrelationId, $script:Third.CorrelationId)
        (Get-CsMeetingMigrationStatus -Identity 'litwareinc\kenmyer').CorrelationId | Should -Be $script:Second.CorrelationId
    }

    It 'filters by -State' {
        @(Get-CsMeetingMigrationStatus -State Succeeded) | Should -HaveCount 3
        Get-CsMeetingMigrationStatus -State Pending | Should -BeNullOrEmpty
    }

    It 'filters by -MigrationType' {
        (Get-CsMeetingMigrationStatus -MigrationType SfbToTeams).UserPrincipalName | Should -Be 'kenmyer@litwareinc.com'
        (Get-CsMeetingMigrationStatus -MigrationType AllToTeams).CorrelationId | Should -Be $script:Third.CorrelationId
    }

    It 'filters by creation time with -StartTime and -EndTime' {
        @(Get-CsMeetingMigrationStatus -StartTime $script:Started) | Should -HaveCount 3
        Get-CsMeetingMigrationStatus -StartTime ([DateTime]::UtcNow.AddHours(1)) | Should -BeNullOrEmpty
        Get-CsMeetingMigrationStatus -EndTime $script:Started | Should -BeNullOrEmpty
        @(Get-CsMeetingMigrationStatus -StartTime $script:Started -EndTime ([DateTime]::UtcNow.AddMinutes(1))) | Should -HaveCount 3
    }

    It 'takes the tenant' {
        @(Get-CsMeetingMigrationStatus -Tenant $script:SampleTenantId) | Should -HaveCount 3
        Get-CsMeetingMigrationStatus -Tenant ([guid]::NewGuid()) -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.TenantNotFound,*'
    }

    It 'validates and tab-completes -State' {
        { Get-CsMeetingMigrationStatus -State Done } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        Get-CompletionText 'Get-CsMeetingMigrationStatus -State ' | Sort-Object | Should -Be @('Failed', 'InProgress', 'Pending', 'Succeeded')
    }

    It 'tab-completes -Identity' {
        Get-CompletionText 'Get-CsMeetingMigrationStatus -Identity kenm' | Should -Be 'kenmyer@litwareinc.com'
    }

    It 'runs Microsoft''s failure recipe as written' {
        { Get-CsMeetingMigrationStatus | Where-Object State -eq Failed | Format-Table UserPrincipalName, LastMessage | Out-String } |
            Should -Not -Throw
    }
}

Describe 'Users from the pipeline' {
    It 'binds a piped user''s Identity and returns only that user''s requests' {
        $records = Get-CsOnlineUser -Identity John@contoso.com | Get-CsMeetingMigrationStatus
        $records.CorrelationId | Should -Be @($script:First.CorrelationId, $script:Third.CorrelationId)
    }

    It 'binds each of many piped users' {
        $records = 'John@contoso.com', 'kenmyer@litwareinc.com' | Get-CsOnlineUser | Get-CsMeetingMigrationStatus
        $records.CorrelationId | Should -Be @($script:First.CorrelationId, $script:Third.CorrelationId, $script:Second.CorrelationId)
    }

    It 'binds Import-Csv rows by their Identity, UserPrincipalName or SipAddress column' {
        $path = Join-Path ([IO.Path]::GetTempPath()) "status-users-$([guid]::NewGuid()).csv"
        try {
            foreach ($column in 'Identity', 'UserPrincipalName', 'SipAddress') {
                [pscustomobject]@{ $column = 'kenmyer@litwareinc.com' } | Export-Csv -Path $path -NoTypeInformation
                (Import-Csv $path | Get-CsMeetingMigrationStatus).CorrelationId | Should -Be $script:Second.CorrelationId
            }
        }
        finally { Remove-Item $path -ErrorAction SilentlyContinue }
    }

    It 'returns nothing for a piped user without requests, not every request of the tenant' {
        Get-CsOnlineUser -Identity user7@contoso.com | Get-CsMeetingMigrationStatus | Should -BeNullOrEmpty
    }

    It 'refuses a piped object that names no user instead of listing every request' {
        { [pscustomobject]@{ Email = 'kenmyer@litwareinc.com' } | Get-CsMeetingMigrationStatus -ErrorAction Stop } |
            Should -Throw
        { [pscustomobject]@{ Email = 'kenmyer@litwareinc.com'; TenantId = $script:SampleTenantId } | Get-CsMeetingMigrationStatus -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*Identity*'
    }

    It 'still takes piped status records by CorrelationId, in detail' {
        $detail = $script:Second | Get-CsMeetingMigrationStatus
        $detail.CorrelationId | Should -Be $script:Second.CorrelationId
        $detail.Meetings | Should -Not -BeNullOrEmpty
    }

    It 'refuses -CorrelationId with the query parameters' {
        { Get-CsMeetingMigrationStatus -CorrelationId $script:Second.CorrelationId -State Failed -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*CorrelationId*'
    }
}

Describe '-SummaryOnly' {
    It 'gives one row per state counting users, not meetings or requests' {
        $summary = Get-CsMeetingMigrationStatus -SummaryOnly
        $summary.State | Should -Be @('Pending', 'InProgress', 'Failed', 'Succeeded')
        ($summary | Where-Object State -EQ Succeeded).UserCount | Should -Be 2
        ($summary | Where-Object State -EQ Pending).UserCount | Should -Be 0
        $summary[0].GetType().FullName | Should -Be 'MeetingMigration.PowerShell.Model.MigrationSummary'
    }
}

Describe '-CorrelationId' {
    It 'returns the request with its per-meeting outcomes' {
        $detail = Get-CsMeetingMigrationStatus -CorrelationId $script:Second.CorrelationId
        $detail.UserPrincipalName | Should -Be 'kenmyer@litwareinc.com'
        $detail.Meetings | Should -HaveCount $detail.TotalMeeting
        $detail.Meetings.Outcome | ForEach-Object { $_ | Should -BeIn 'Succeeded', 'Failed' }
        $detail.Meetings[0].Subject | Should -Not -BeNullOrEmpty
        $detail.QueuePosition | Should -BeNullOrEmpty
    }

    It 'takes status records from the pipeline' {
        (Get-CsMeetingMigrationStatus -Identity John@contoso.com | Get-CsMeetingMigrationStatus).Meetings | Should -Not -BeNullOrEmpty
    }

    It 'shows the queue position of a Pending request' {
        Set-CsTenantMigrationConfiguration -HoldMinutes 600 -Confirm:$false
        try {
            $a = Start-CsExMeetingMigration user1@contoso.com -Confirm:$false
            $b = Start-CsExMeetingMigration user2@contoso.com -Confirm:$false
            (Get-CsMeetingMigrationStatus -CorrelationId $a.CorrelationId).QueuePosition | Should -Be 1
            (Get-CsMeetingMigrationStatus -CorrelationId $b.CorrelationId).QueuePosition | Should -Be 2
        }
        finally { Set-CsTenantMigrationConfiguration -HoldMinutes 0 -Confirm:$false }
    }

    It 'reports an unknown request as not found' {
        $id = [guid]::NewGuid()
        Get-CsMeetingMigrationStatus -CorrelationId $id -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.RequestNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be $id
    }
}

Describe '-CorrelationId within a tenant' {
    BeforeAll {
        # A second sample tenant: the same user names as the default one, its own requests.
        $script:Other = [guid]'0f3c5a52-6d1e-4c8b-9a47-2b1d6e8f7c90'
        $null = New-MmsSampleTenant -TenantId $script:Other -UserCount 2 -MeetingsPerUser 2 -Confirm:$false
        $script:OtherRequest = Start-CsExMeetingMigration John@contoso.com -Tenant $script:Other -Confirm:$false
        Wait-MigrationIdle -Tenant $script:Other
        $script:NotFound = { param($id) "No migration request has correlation id $id." }
    }

    It 'finds a request of another tenant with that -Tenant' {
        $detail = Get-CsMeetingMigrationStatus -CorrelationId $script:OtherRequest.CorrelationId -Tenant $script:Other
        $detail.TenantId | Should -Be $script:Other
        $detail.Meetings | Should -Not -BeNullOrEmpty
    }

    It 'does not find a request of the default tenant with -Tenant of another' {
        $id = $script:Second.CorrelationId
        Get-CsMeetingMigrationStatus -CorrelationId $id -Tenant $script:Other -ErrorAction SilentlyContinue -ErrorVariable failures |
            Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.RequestNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].Exception.Message | Should -Be (& $script:NotFound $id)
        $failures[0].TargetObject | Should -Be $id
    }

    It 'does not find a request of another tenant without -Tenant (the default tenant)' {
        $id = $script:OtherRequest.CorrelationId
        Get-CsMeetingMigrationStatus -CorrelationId $id -ErrorAction SilentlyContinue -ErrorVariable failures |
            Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.RequestNotFound,*'
        $failures[0].Exception.Message | Should -Be (& $script:NotFound $id)
    }

    It 'keeps a piped record in its own tenant' {
        $detail = $script:OtherRequest | Get-CsMeetingMigrationStatus
        $detail.CorrelationId | Should -Be $script:OtherRequest.CorrelationId
        $detail.TenantId | Should -Be $script:Other
        $detail.Meetings | Should -Not -BeNullOrEmpty
    }

    It 'does not find a piped record of one tenant with -Tenant of another' {
        $script:Second | Get-CsMeetingMigrationStatus -Tenant $script:Other -ErrorAction SilentlyContinue -ErrorVariable failures |
            Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.RequestNotFound,*'
        $failures[0].Exception.Message | Should -Be (& $script:NotFound $script:Second.CorrelationId)
    }
}

Describe 'Microsoft''s examples, as written' {
    BeforeAll {
        # Example 2's user, added to the default tenant with a request of her own.
        $file = Join-Path $TestDrive 'ashaw.json'
        '[{"UserPrincipalName": "ashaw@contoso.com", "DisplayName": "Amy Shaw"}]' | Set-Content $file
        $null = Import-MmsTenantData -Path $file -Confirm:$false
        $script:Ashaw = Start-CsExMeetingMigration -Identity ashaw@contoso.com -Confirm:$false
        Wait-MigrationIdle -Identity ashaw@contoso.com
    }

    It 'Example 1: Get-CsMeetingMigrationStatus -SummaryOnly' {
        $summary = Get-CsMeetingMigrationStatus -SummaryOnly
        $succeeded = @(Get-CsMeetingMigrationStatus -State Succeeded | Select-Object -ExpandProperty UserPrincipalName -Unique)
        $succeeded | Should -Contain 'ashaw@contoso.com'
        ($summary | Where-Object State -EQ Succeeded).UserCount | Should -Be $succeeded.Count
    }

    It 'Example 2: Get-CsMeetingMigrationStatus -Identity "ashaw@contoso.com"' {
        $records = @(Get-CsMeetingMigrationStatus -Identity "ashaw@contoso.com")
        $records.CorrelationId | Should -Be $script:Ashaw.CorrelationId
        $records.UserPrincipalName | Should -Be 'ashaw@contoso.com'
    }
}
