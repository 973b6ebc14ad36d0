# The store file as admins handle it: copies with Backup-MmsStore, damage found by Test-MmsStore,
# stores the module refuses (readable by others), the file complete after pwsh exits, and
# $env:MEETING_MIGRATION_STORE read like a path parameter (~, relative to the current location).

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 10 -MeetingsPerUser 2
    $script:Scratch = New-TestScratch

    # Runs $Command in a fresh pwsh that imports the module; $Environment sets variables first.
    # Returns its output lines; throws with its errors when it fails.
    function Invoke-FreshPwsh {
        param([string] $Command, [hashtable] $Environment = @{}, [string] $WorkingDirectory = $script:Scratch)
        $setup = ($Environment.GetEnumerator() | ForEach-Object { "`$env:$($_.Key) = '$($_.Value)'" }) -join '; '
        $script = "$setup; `$ErrorActionPreference = 'Stop'; Import-Module '$($script:MmsModulePath)'; $Command"
        Push-Location $WorkingDirectory
        try {
            $output = & $script:Pwsh -NoProfile -NonInteractive -Command $script 2>&1
            if ($LASTEXITCODE -ne 0) { throw "pwsh failed ($LASTEXITCODE): $($output -join "`n")" }
            $output
        }
        finally { Pop-Location }
    }
}

AfterAll {
    Remove-TestStore $script:Store -Scratch $script:Scratch
}

Describe 'Backup-MmsStore' {
    It 'writes a private, complete copy that a session can open, and returns its file' {
        $path = Join-Path $script:Scratch 'copy.db'
        $file = Backup-MmsStore -Path $path
        $file | Should -BeOfType System.IO.FileInfo
        $file.FullName | Should -Be $path
        if (-not $IsWindows) { (Get-Item $path).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite') }
        $tenants = Invoke-FreshPwsh '(Get-MmsTenant).UserCount' @{ MEETING_MIGRATION_STORE = $path }
        $tenants | Should -Be (Get-MmsTenant).UserCount
    }

    It 'returns the copy as Get-Item does, and says what to do with a folder or a missing folder' {
        $shown = Backup-MmsStore -Path (Join-Path $script:Scratch 'shown.db') | Out-String -Width 80
        $shown | Should -Match 'Directory: '
        $shown | Should -Match 'shown\.db'
        Backup-MmsStore -Path $script:Scratch -Force -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].Exception.Message | Should -BeLike '*is a folder; give the path of a file in it*'
        Backup-MmsStore -Path (Join-Path $script:Scratch 'none/copy.db') -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].Exception.Message | Should -BeLike '*does not exist; create it first*'
    }

    It 'resolves a relative -Path against the current location' {
        Push-Location $script:Scratch
        try { $null = Backup-MmsStore relative.db }
        finally { Pop-Location }
        Test-Path (Join-Path $script:Scratch 'relative.db') | Should -BeTrue
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $script:Scratch 'whatif.db'
        Backup-MmsStore -Path $path -WhatIf
        Test-Path $path | Should -BeFalse
    }

    It 'keeps an existing file unless -Force, then replaces it' {
        $path = Join-Path $script:Scratch 'existing.db'
        Set-Content $path 'keep me'
        Backup-MmsStore -Path $path -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.AlreadyExists,*'
        $failed[0].Exception.Message | Should -BeLike '*-Force*'
        Get-Content $path | Should -Be 'keep me'
        $null = Backup-MmsStore -Path $path -Force
        (Get-Item $path).Length | Should -BeGreaterThan 4096
    }

    It 'refuses to write over the store itself' {
        Backup-MmsStore -Path $script:Store -Force -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.InvalidArgument,*'
        (Get-MmsTenant).TenantId | Should -Contain $script:SampleTenantId
    }
}

Describe 'Test-MmsStore' {
    It 'finds the store healthy' {
        $check = Test-MmsStore
        $check.Healthy | Should -BeTrue
        $check.Problems | Should -BeNullOrEmpty
        $check.Path | Should -Be $script:Store
        Test-MmsStore -Quiet | Should -BeTrue
    }

    It 'finds flipped bytes, and the damaged store then refuses writes' {
        # A store this process has never opened, so its bytes may be edited here.
        $path = Join-Path $script:Scratch 'damaged.db'
        $null = Invoke-FreshPwsh 'New-MmsSampleTenant -UserCount 3 -MeetingsPerUser 2 -Confirm:$false' @{ MEETING_MIGRATION_STORE = $path }
        $bytes = [IO.File]::ReadAllBytes($path)
        $text = [Text.Encoding]::Latin1.GetString($bytes)
        $at = $text.IndexOf('Weekly team sync')
        $at | Should -BeGreaterThan 0
        for ($i = 0; $i -lt 6; $i++) { $bytes[$at + $i] = 0xFF }
        [IO.File]::WriteAllBytes($path, $bytes)
        try {
            $env:MEETING_MIGRATION_STORE = $path
            $check = Test-MmsStore
            $check.Healthy | Should -BeFalse
            $check.Problems -join "`n" | Should -BeLike '*UTF-8*'
            ($check | Format-List | Out-String -Width 80) | Should -BeLike '*Problems*UTF-8*'
            Test-MmsStore -Quiet | Should -BeFalse
            Set-CsTenantMigrationConfiguration -HoldMinutes 5 -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.StoreCorrupt,*'
            $failed[0].Exception.Message | Should -BeLike "*$path*Test-MmsStore*"
        }
        finally { $env:MEETING_MIGRATION_STORE = $script:Store }
    }
}

Describe 'A store others can read' -Skip:$IsWindows {
    It 'is refused with the chmod fix, and left as it was' {
        $path = Join-Path $script:Scratch 'shared.db'
        $null = Invoke-FreshPwsh 'New-MmsSampleTenant -UserCount 2 -Confirm:$false' @{ MEETING_MIGRATION_STORE = $path }
        chmod 644 $path
        $before = Get-StoreHash $path
        try {
            $env:MEETING_MIGRATION_STORE = $path
            Get-MmsTenant -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'MeetingMigration.StoreUnsafe,*'
            $failed[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $failed[0].Exception.Message | Should -BeLike "*chmod 600 '$path'*"
        }
        finally { $env:MEETING_MIGRATION_STORE = $script:Store }
        Get-StoreHash $path | Should -Be $before
        (Get-Item $path).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')
    }
}

Describe 'When pwsh exits' {
    It 'leaves everything in the store file itself: a copy of that one file is complete' {
        $path = Join-Path $script:Scratch 'exit.db'
        $null = Invoke-FreshPwsh 'New-MmsSampleTenant -UserCount 5 -Confirm:$false; $null = Start-CsExMeetingMigration John@contoso.com -Confirm:$false' @{ MEETING_MIGRATION_STORE = $path }
        $wal = Get-Item "$path-wal" -ErrorAction SilentlyContinue
        if ($wal) { $wal.Length | Should -Be 0 }
        $copy = Join-Path $script:Scratch 'exit-copy.db'
        Copy-Item $path $copy
        $found = Invoke-FreshPwsh '(Get-MmsTenant).UserCount; @(Get-CsMeetingMigrationStatus).Count' @{ MEETING_MIGRATION_STORE = $copy }
        $found | Should -Be @('7', '1')
    }
}

Describe '$env:MEETING_MIGRATION_STORE as a path' {
    It 'resolves a relative path against the current location, not the process folder' {
        $start = Join-Path $script:Scratch 'start'
        $location = Join-Path $script:Scratch 'location'
        $null = New-Item -ItemType Directory $start, $location
        $null = Invoke-FreshPwsh "Set-Location '$location'; `$null = Get-MmsTenant" @{ MEETING_MIGRATION_STORE = 'rel.db' } -WorkingDirectory $start
        Test-Path (Join-Path $location 'rel.db') | Should -BeTrue
        Test-Path (Join-Path $start 'rel.db') | Should -BeFalse
    }

    It 'reads a path on a PowerShell drive, such as TestDrive:' {
        try {
            $env:MEETING_MIGRATION_STORE = 'TestDrive:/drive.db'
            $null = Get-MmsTenant
            Test-Path (Join-Path (Get-PSDrive TestDrive).Root 'drive.db') | Should -BeTrue
        }
        finally {
            $env:MEETING_MIGRATION_STORE = $script:Store
            $null = Get-MmsTenant  # the drive's store is closed once the session moves off it
        }
    }

    It 'reads ~ as the home folder' {
        $homeFolder = Join-Path $script:Scratch 'home'
        $null = New-Item -ItemType Directory $homeFolder
        # The home folder of the child pwsh is read when it starts: give it the variables then.
        $saved = $env:HOME, $env:USERPROFILE
        try {
            $env:HOME = $env:USERPROFILE = $homeFolder
            $null = Invoke-FreshPwsh '$null = Get-MmsTenant' @{ MEETING_MIGRATION_STORE = '~/tilde.db' }
        }
        finally { $env:HOME, $env:USERPROFILE = $saved }
        Test-Path (Join-Path $homeFolder 'tilde.db') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $script:Scratch '~') | Should -BeFalse
    }
}
