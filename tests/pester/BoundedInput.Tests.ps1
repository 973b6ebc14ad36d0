# Hostile and clumsy input at the cmdlets: NUL characters, files that are not files, files too
# large, a byte order mark, and Ctrl+C landing while a change is being committed.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 5 -MeetingsPerUser 1
    $script:Scratch = New-TestScratch

    # Runs $Script in a child pwsh against the store, holds the store's write lock from another
    # process once the child prints READY, lets the script run until its output matches $Until
    # (its last step before the commit), sends the child SIGINT (what Ctrl+C sends) while its
    # commit waits for that lock, then lets the commit go through. Returns the child's output.
    function Invoke-StoppedDuringCommit {
        param([string] $Script, [string] $Until)
        $signal = Join-Path $script:Scratch "go-$([guid]::NewGuid().ToString('N'))"
        $out = "$signal.out"
        $file = "$signal.ps1"
        Set-Content $file @"
`$env:MEETING_MIGRATION_STORE = '$script:Store'
Import-Module '$script:MmsModulePath'
`$null = Get-MmsTenant
'READY'
while (-not (Test-Path '$signal')) { Start-Sleep -Milliseconds 20 }
$Script
'NOT STOPPED'
"@
        $child = Start-Process $script:Pwsh -ArgumentList '-NoProfile', '-File', $file -RedirectStandardOutput $out -RedirectStandardError "$out.err" -PassThru
        $lock = [Diagnostics.Process]::new()
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not ((Get-Content $out -Raw -ErrorAction Ignore) -match 'READY')) {
                if ([DateTime]::UtcNow -gt $deadline) { throw "The child never got ready: $(Get-Content "$out.err" -Raw)" }
                Start-Sleep -Milliseconds 50
            }
            $lock.StartInfo = [Diagnostics.ProcessStartInfo]::new('sqlite3', $script:Store)
            $lock.StartInfo.RedirectStandardInput = $true
            $lock.StartInfo.RedirectStandardOutput = $true
            $null = $lock.Start()
            $lock.StandardInput.WriteLine('.timeout 30000')
            $lock.StandardInput.WriteLine("BEGIN IMMEDIATE; SELECT 'LOCKED';")
            $lock.StandardInput.Flush()
            $lock.StandardOutput.ReadLine() | Should -Be 'LOCKED'
            $null = New-Item $signal
            # The child reads its input and reaches the commit, which waits for the lock.
            while (-not ((Get-Content $out -Raw) -match $Until)) {
                if ([DateTime]::UtcNow -gt $deadline) { throw "The child never got to '$Until': $(Get-Content $out -Raw)" }
                Start-Sleep -Milliseconds 50
            }
            Start-Sleep -Milliseconds 1000
            & kill -INT $child.Id
            Start-Sleep -Milliseconds 1000
            $lock.StandardInput.WriteLine('COMMIT;')
            $lock.StandardInput.Close()
            $child.WaitForExit(60000) | Should -BeTrue
            Get-Content $out -Raw
        }
        finally {
            if (-not $lock.HasExited) { $lock.Kill() }
            if (-not $child.HasExited) { $child.Kill() }
        }
    }
}

AfterAll {
    Remove-TestStore $script:Store -Scratch $script:Scratch
}

Describe 'Get-CsOnlineUser -Filter bounds' {
    It 'gives a clear error, not a stack overflow, for <Name>' -ForEach @(
        @{ Name = '25,000 nested parentheses'; Filter = ('(' * 25000) + "DisplayName -eq 'x'" + (')' * 25000) }
        @{ Name = '100,000 -not'; Filter = ('-not ' * 100000) + "DisplayName -eq 'x'" }
        @{ Name = 'a 100,000-term -and chain'; Filter = (@("DisplayName -eq 'x'") * 100000) -join ' -and ' }
    ) {
        Get-CsOnlineUser -Filter $Filter -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.FilterSyntax*'
        $failures[0].Exception.Message.Length | Should -BeLessThan 400
        (Get-CsOnlineUser -Filter "UserPrincipalName -like 'user*'").Count | Should -Be 5
    }
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

Describe 'Ctrl+C while a change is committed' {
    It 'Start-CsExMeetingMigration still shows the requests its committed batch queued' {
        $output = Invoke-StoppedDuringCommit "'user1@contoso.com', 'user2@contoso.com', 'user3@contoso.com' | Start-CsExMeetingMigration -Confirm:`$false -Verbose" -Until 'on target "user3@contoso.com"'

        $output | Should -Not -Match 'NOT STOPPED'
        $output | Should -Match 'stopped after its batch was committed'
        $queued = Get-CsMeetingMigrationStatus | Where-Object UserPrincipalName -In 'user1@contoso.com', 'user2@contoso.com', 'user3@contoso.com'
        $queued.Count | Should -Be 3
        foreach ($request in $queued) {
            $output | Should -Match ([regex]::Escape("$($request.UserPrincipalName)  ")) -Because 'every queued request is shown'
            $output | Should -Match $request.CorrelationId
        }
    }

    It 'Import-MmsTenantData still shows the summary of the import it committed' {
        $file = Join-Path $script:Scratch 'stopped.csv'
        "UserPrincipalName`nstopped1@contoso.com`nstopped2@contoso.com" | Set-Content $file
        $output = Invoke-StoppedDuringCommit "Import-MmsTenantData '$file' -Confirm:`$false -Verbose" -Until 'Performing the operation'

        $output | Should -Not -Match 'NOT STOPPED'
        $output | Should -Match 'stopped after its import was committed'
        $output | Should -Match '2 users and 0 meetings'
        (Get-CsOnlineUser stopped2@contoso.com).UserPrincipalName | Should -Be 'stopped2@contoso.com'
    }
}
