# A 100,000-user tenant: Get-CsOnlineUser streams it in flat memory and the -Identity completer
# answers within 100 ms.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 100000 -MeetingsPerUser 0
}

AfterAll {
    Remove-TestStore $script:Store
}

Describe 'A 100,000-user tenant' -Tag Scale {
    It 'streams Get-CsOnlineUser in flat memory' {
        $script:Count = 0
        $script:Samples = @{}
        Get-CsOnlineUser | ForEach-Object {
            $script:Count++
            if ($script:Count -in 10000, 100000) {
                $script:Samples[$script:Count] = [GC]::GetTotalMemory($true)
            }
        }
        $script:Count | Should -Be 100002  # John, Ken Myer and user1..user100000
        # Holding 90,000 more users would take well over 50 MB.
        ($script:Samples[100000] - $script:Samples[10000]) / 1MB | Should -BeLessThan 20
    }

    It 'completes -Identity of <_> in under 100 ms' -ForEach 'Start-CsExMeetingMigration', 'Get-CsOnlineUser', 'Get-CsMeetingMigrationStatus', 'Get-MmsMeeting' {
        $line = "$_ -Identity user9999"
        $null = Get-CompletionText $line  # warm-up: first use of the completer and TabExpansion2
        $elapsed = Measure-Command { $script:Completions = Get-CompletionText $line }
        $script:Completions | Should -Contain 'user9999@contoso.com'
        @($script:Completions).Count | Should -BeLessOrEqual 50
        $elapsed.TotalMilliseconds | Should -BeLessThan 100
    }
}
