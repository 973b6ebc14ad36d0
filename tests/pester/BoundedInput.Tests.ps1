# Hostile and clumsy input at the cmdlets: NUL characters, files that are not files, files too
# large and a byte order mark.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 5 -MeetingsPerUser 1
    $script:Scratch = New-TestScratch
}

AfterAll {
    Remove-TestStore $script:Store -Scratch $script:Scratch
}

Describe 'NUL characters' {
    It 'refuses an identity with a NUL instead of using what comes before it (<Command>)' -ForEach @(
        @{ Command = 'Get-MmsMeeting' }
        @{ Command = 'Get-CsOnlineUser' }
        @{ Command = 'Start-CsExMeetingMigration' }
    ) {
        $arguments = @{ Identity = "John@contoso.com`0x"; ErrorAction = 'SilentlyContinue'; ErrorVariable = 'failures' }
        if ($Command -eq 'Start-CsExMeetingMigration') { $arguments.WhatIf = $true }
        & $Command @arguments | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.MalformedIdentity*'
        $failures[0].Exception.Message | Should -BeLike '*contains a NUL character*'
    }

    It 'refuses an import path with a NUL instead of importing the file its start names' {
        $ok = Join-Path $script:Scratch 'ok.json'
        '[{"UserPrincipalName":"nul-path@contoso.com"}]' | Set-Content $ok
        Import-MmsTenantData -Path "$ok`0x.csv" -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures |
            Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.InvalidArgument*'
        $failures[0].Exception.Message | Should -BeLike '*path*contains a NUL character*'
        Get-CsOnlineUser nul-path@contoso.com -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Import-MmsTenantData input' {
    It 'imports JSON written with a byte order mark, as Windows PowerShell 5.1 writes it' {
        $file = Join-Path $script:Scratch 'bom.json'
        Set-Content $file '{"Users":[{"UserPrincipalName":"bom@contoso.com","DisplayName":"Bom User"}]}' -Encoding utf8BOM
        [IO.File]::ReadAllBytes($file)[0] | Should -Be 0xEF
        (Import-MmsTenantData $file -Confirm:$false).Users | Should -Be 1
        (Get-CsOnlineUser 'Bom User').UserPrincipalName | Should -Be 'bom@contoso.com'
    }

    It 'refuses a FIFO at once instead of waiting for a writer' -Skip:$IsWindows {
        $fifo = Join-Path $script:Scratch 'pipe.csv'
        & mkfifo $fifo
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $job = Start-ThreadJob { param($m, $s, $f) $env:MEETING_MIGRATION_STORE = $s; Import-Module $m; Import-MmsTenantData $f -Confirm:$false } -ArgumentList $script:MmsModulePath, $script:Store, $fifo
        $job | Wait-Job -Timeout 30 | Should -Not -BeNullOrEmpty
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
        { $job | Receive-Job -ErrorAction Stop } | Should -Throw -ExpectedMessage '*not a regular file*'
        $job | Remove-Job -Force
    }

    It 'refuses a file over -MaximumFileSize, and imports it when the limit is raised' {
        $file = Join-Path $script:Scratch 'limited.csv'
        "UserPrincipalName`n" + ((1..50 | ForEach-Object { "limited$_@contoso.com" }) -join "`n") | Set-Content $file
        Import-MmsTenantData $file -MaximumFileSize 100 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.ImportFailed*'
        $failures[0].Exception.Message | Should -BeLike '*over the import limit of 100 bytes*-MaximumFileSize*'
        Get-CsOnlineUser limited1@contoso.com -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Import-MmsTenantData $file -MaximumFileSize 1MB -Confirm:$false).Users | Should -Be 50
    }
}
