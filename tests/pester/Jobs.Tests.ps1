# Start-CsExMeetingMigration -AsJob (docs/architecture.md, "Jobs"): one job per invocation with a child per
# user, Receive-Job, progress, Completed / Failed / Stopped, HasMoreData, -WhatIf, and scale without a
# thread per job.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 800 -MeetingsPerUser 2
    $script:Timeout = 180
}

AfterAll {
    Remove-TestStore $script:Store
}

Describe 'One job per invocation' {
    BeforeAll {
        $script:JobsBefore = @(Get-Job).Count
        $script:Job = 'John@contoso.com', 'kenmyer@litwareinc.com', 'user1@contoso.com' |
            Start-CsExMeetingMigration -AsJob -Confirm:$false
        $script:Finished = $script:Job | Wait-Job -Timeout $script:Timeout
    }

    It 'returns a single job registered in the job repository' {
        $script:Job | Should -HaveCount 1
        $script:Job | Should -BeOfType ([System.Management.Automation.Job])
        $script:Job.PSJobTypeName | Should -Be 'MeetingMigrationJob'
        @(Get-Job).Count | Should -Be ($script:JobsBefore + 1)
        (Get-Job -Id $script:Job.Id).InstanceId | Should -Be $script:Job.InstanceId
    }

    It 'has one child job per user, shown by Get-Job -IncludeChildJob' {
        $script:Job.ChildJobs | Should -HaveCount 3
        $script:Job.ChildJobs.Name | Should -Be @('John@contoso.com', 'kenmyer@litwareinc.com', 'user1@contoso.com')
        $children = Get-Job -IncludeChildJob | Where-Object { $_.InstanceId -in $script:Job.ChildJobs.InstanceId }
        $children | Should -HaveCount 3
    }

    It 'finishes Completed within the timeout' {
        $script:Finished | Should -Not -BeNullOrEmpty
        $script:Job.State | Should -Be 'Completed'
        $script:Job.ChildJobs.State | Sort-Object -Unique | Should -Be 'Completed'
    }

    It 'reports progress on each child' {
        foreach ($child in $script:Job.ChildJobs) {
            $child.Progress.Count | Should -BeGreaterThan 0
            $child.Progress[-1].StatusDescription | Should -Match 'Succeeded: \d+ of \d+ meetings'
        }
    }

    It 'returns every final status record from Receive-Job, then has no more data' {
        $script:Job.HasMoreData | Should -BeTrue
        $records = Receive-Job $script:Job -Wait
        $records | Should -HaveCount 3
        $records.State | Sort-Object -Unique | Should -Be 'Succeeded'
        $records.UserPrincipalName | Sort-Object | Should -Be @('John@contoso.com', 'kenmyer@litwareinc.com', 'user1@contoso.com')
        $records[0].Meetings | Should -Not -BeNullOrEmpty
        $script:Job.HasMoreData | Should -BeFalse
        $script:Job.ChildJobs.HasMoreData | Sort-Object -Unique | Should -Be $false
    }

    It 'is removed by Remove-Job' {
        Remove-Job $script:Job
        Get-Job -Id $script:Job.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Receive-Job -Wait on a running job' {
    It 'waits and returns the final record' {
        $job = Start-CsExMeetingMigration user2@contoso.com -AsJob -Confirm:$false
        $job | Wait-Job -Timeout $script:Timeout | Should -Not -BeNullOrEmpty
        $record = Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop
        $record.UserPrincipalName | Should -Be 'user2@contoso.com'
        $record.State | Should -Be 'Succeeded'
    }
}

Describe 'Stop-Job' {
    BeforeAll { Set-CsTenantMigrationConfiguration -HoldMinutes 600 -Confirm:$false }
    AfterAll { Set-CsTenantMigrationConfiguration -HoldMinutes 0 -Confirm:$false }

    It 'stops the job, not the queued migration' {
        $job = 'user3@contoso.com', 'user4@contoso.com' | Start-CsExMeetingMigration -AsJob -Confirm:$false
        Start-Sleep -Milliseconds 600
        $job.State | Should -Be 'Running'
        $job | Stop-Job
        $job.State | Should -Be 'Stopped'
        $job.ChildJobs.State | Sort-Object -Unique | Should -Be 'Stopped'
        (Get-CsMeetingMigrationStatus -Identity user3@contoso.com).State | Should -Be 'Pending'
        $job | Remove-Job
    }

    It 'follows an already open request with a warning in the foreground' {
        $queued = Start-CsExMeetingMigration user5@contoso.com -Confirm:$false
        $job = Start-CsExMeetingMigration user5@contoso.com -AsJob -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        $job.ChildJobs[0].CorrelationId | Should -Be $queued.CorrelationId
        $job | Stop-Job -PassThru | Remove-Job
    }
}

Describe 'Failure' {
    BeforeAll { Set-CsTenantMigrationConfiguration -HoldMinutes 60 -Confirm:$false }
    AfterAll { Set-CsTenantMigrationConfiguration -HoldMinutes 0 -Confirm:$false }

    It 'ends a child Failed with the reason as an error record' {
        # The hold keeps the request Pending (the in-process worker does not take it) while
        # another process marks it Failed, as a worker elsewhere would after its last retry.
        $job = Start-CsExMeetingMigration user8@contoso.com -AsJob -Confirm:$false
        $child = $job.ChildJobs[0]
        Start-Sleep -Milliseconds 600
        $child.State | Should -Be 'Running'
        (Get-CsMeetingMigrationStatus -Identity user8@contoso.com).State | Should -Be 'Pending'

        $reason = "Mailbox of user8@contoso.com unreachable after 9 retries"
        $changed = Invoke-StoreSql $script:Store @"
UPDATE requests SET state = 'Failed', last_message = '$reason' WHERE correlation_id = '$($child.CorrelationId)';
SELECT count(*) FROM requests WHERE correlation_id = '$($child.CorrelationId)' AND state = 'Failed';
"@
        $changed | Should -Be 1

        $job | Wait-Job -Timeout $script:Timeout | Should -Not -BeNullOrEmpty
        $child.State | Should -Be 'Failed'
        $job.State | Should -Be 'Failed'
        $child.Error | Should -HaveCount 1
        $child.Error[0].FullyQualifiedErrorId | Should -Be 'MeetingMigration.MigrationFailed'
        $child.Error[0].Exception.Message | Should -BeLike "*$reason*"
        $child.Error[0].TargetObject.CorrelationId | Should -Be $child.CorrelationId

        $received = @(Receive-Job $job -ErrorAction Continue 2>&1)
        $received | Should -HaveCount 2
        $received[0].GetType().FullName | Should -Be 'MeetingMigration.PowerShell.Model.MigrationStatus'
        $received[0].State | Should -Be 'Failed'
        $received[0].LastMessage | Should -Be $reason
        $received[1] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
        $received[1].Exception.Message | Should -BeLike "*$reason*"
        $job.HasMoreData | Should -BeFalse
        $job | Remove-Job
    }
}

Describe '-AsJob -WhatIf' {
    It 'creates no job and queues nothing' {
        $before = @(Get-Job).Count
        'user6@contoso.com', 'user7@contoso.com' | Start-CsExMeetingMigration -AsJob -WhatIf | Should -BeNullOrEmpty
        @(Get-Job).Count | Should -Be $before
        Get-CsMeetingMigrationStatus -Identity user6@contoso.com | Should -BeNullOrEmpty
    }
}

Describe 'Tenants other than the default' {
    BeforeAll {
        $script:Other = [guid]'7d2e9b41-3c6a-4f15-8e0d-5a9c1b7f2e63'
        $null = New-MmsSampleTenant -TenantId $script:Other -UserCount 2 -MeetingsPerUser 2 -Confirm:$false
    }

    It 'follows the requests of a tenant given with -Tenant to the end' {
        $job = 'John@contoso.com', 'user1@contoso.com' | Start-CsExMeetingMigration -Tenant $script:Other -AsJob -Confirm:$false
        $job | Wait-Job -Timeout $script:Timeout | Should -Not -BeNullOrEmpty
        $job.State | Should -Be 'Completed'
        $records = Receive-Job $job
        $records | Should -HaveCount 2
        $records.TenantId | Sort-Object -Unique | Should -Be $script:Other
        $records.State | Sort-Object -Unique | Should -Be 'Succeeded'
        $records[0].Meetings | Should -Not -BeNullOrEmpty
        $job | Remove-Job
    }

    It 'follows one job whose users are in two tenants' {
        $users = @(
            Get-CsOnlineUser user9@contoso.com
            Get-CsOnlineUser user2@contoso.com -Tenant $script:Other
        )
        $job = $users | Start-CsExMeetingMigration -AsJob -Confirm:$false
        $job.ChildJobs | Should -HaveCount 2
        $job | Wait-Job -Timeout $script:Timeout | Should -Not -BeNullOrEmpty
        $job.State | Should -Be 'Completed'
        $records = Receive-Job $job
        $records | Should -HaveCount 2
        $records.TenantId | Should -Be @($script:SampleTenantId, $script:Other)
        $records.Meetings | Should -Not -BeNullOrEmpty
        $job | Remove-Job
    }
}

Describe 'Scale' {
    It 'finishes 500 users in one job' {
        $threads = [Diagnostics.Process]::GetCurrentProcess().Threads.Count
        $job = 101..600 | ForEach-Object { "user$_@contoso.com" } | Start-CsExMeetingMigration -AsJob -Confirm:$false
        $job.ChildJobs | Should -HaveCount 500
        $job | Wait-Job -Timeout $script:Timeout | Should -Not -BeNullOrEmpty
        $job.State | Should -Be 'Completed'
        [Diagnostics.Process]::GetCurrentProcess().Threads.Count | Should -BeLessThan ($threads + 50)
        $records = Receive-Job $job
        $records | Should -HaveCount 500
        $records.State | Sort-Object -Unique | Should -Be 'Succeeded'
        $job | Remove-Job
    }

    It 'finishes 200 jobs at once without a thread each' {
        $threads = [Diagnostics.Process]::GetCurrentProcess().Threads.Count
        $jobs = 601..800 | ForEach-Object { Start-CsExMeetingMigration "user$_@contoso.com" -AsJob -Confirm:$false }
        $jobs | Should -HaveCount 200
        [Diagnostics.Process]::GetCurrentProcess().Threads.Count | Should -BeLessThan ($threads + 50)
        $jobs | Wait-Job -Timeout $script:Timeout | Should -HaveCount 200
        $jobs.State | Sort-Object -Unique | Should -Be 'Completed'
        ($jobs | Receive-Job) | Should -HaveCount 200
        $jobs | Remove-Job
    }
}
