# The scripts in examples/, run as an admin would run them, against a fresh store.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -Empty
    $script:Examples = Join-Path $PSScriptRoot '../../examples'
}

AfterAll {
    Remove-TestStore $script:Store
}

Describe 'upgrade-wave.ps1' {
    It 'rehearses a wave of a 1,000-user hybrid tenant in under a minute, failures fixed' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $summary = & (Join-Path $script:Examples 'upgrade-wave.ps1') 6>$null
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 60

        # The rerun after the fixes: every failed user succeeded.
        ($summary | Where-Object State -EQ Failed).UserCount | Should -Be 0
        ($summary | Where-Object State -EQ Succeeded).UserCount | Should -BeGreaterThan 0
        (Get-MmsTenant | Where-Object IsDefault).UserCount | Should -Be 1002

        # What the wave's changes started, and what failed before the fixes.
        $moved = @(Get-CsOnlineUser -Filter "HostingProvider -eq 'sipfed.online.lync.com' -and UserPrincipalName -like 'user*'" |
            Where-Object { [int]($_.UserPrincipalName -replace '\D') -le 100 } | Where-Object InterpretedUserType -EQ PureOnlineTeamsOnlyUser)
        @(Get-CsMeetingMigrationStatus -TriggeredBy UserMove).Count | Should -BeGreaterThan 0
        @(Get-CsMeetingMigrationStatus -TriggeredBy UpgradePolicy).Count | Should -BeGreaterThan 0
        $failedFirst = @(Get-CsMeetingMigrationStatus -TriggeredBy UpgradePolicy | Where-Object State -EQ Failed) +
            @(Get-CsMeetingMigrationStatus -TriggeredBy UserMove | Where-Object State -EQ Failed)
        $failedFirst.UserPrincipalName | Should -Contain 'user7@contoso.com'
        @(Get-CsMeetingMigrationStatus -TriggeredBy Admin | Where-Object State -EQ Succeeded).UserPrincipalName | Should -Contain 'user7@contoso.com'
        $moved.Count | Should -BeGreaterThan 0
    }
}
