# Start-CsExMeetingMigration -AsJob (DESIGN.md §2.4): one job per invocation with a child per
# user, Receive-Job, progress, Completed / Stopped, HasMoreData, -WhatIf, and scale without a
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
    It 'ends a child Failed with the reason as an error record' -Skip {
        # The worker fails a request only after 9 transient failures within 24 hours, which a
        # test cannot provoke through the module; MigrationChildJob writes the status record,
        # then the reason to Error, then sets Failed.
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
