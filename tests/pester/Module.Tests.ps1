# The module as a whole: manifest, import/re-import/removal, the native library checks at import,
# the store path from $env:MEETING_MIGRATION_STORE, and the help of every command.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore
    $script:Commands = @(
        'Start-CsExMeetingMigration', 'Get-CsMeetingMigrationStatus', 'Get-CsOnlineUser',
        'Get-CsTenantMigrationConfiguration', 'Set-CsTenantMigrationConfiguration',
        'Get-CsOnlineDialInConferencingTenantSettings', 'Set-CsOnlineDialInConferencingTenantSettings',
        'New-MmsSampleTenant', 'Import-MmsTenantData', 'Export-MmsTenantData', 'Get-MmsTenant', 'New-MmsTenant', 'Set-MmsTenant', 'Get-MmsMeeting', 'Set-MmsMeeting',
        'Test-MmsStore', 'Backup-MmsStore', 'Set-MmsUser', 'Set-MmsUserLicense', 'Move-CsUser',
        'Grant-CsTeamsUpgradePolicy', 'Get-MmsFaultInjection', 'Set-MmsFaultInjection', 'Get-CsTeamsUpgradePolicy',
        'Set-CsOnlineDialInConferencingUser', 'Get-CsOnlineDialInConferencingUser', 'Set-CsOnlineDialInConferencingUserDefaultNumber')

    # Copies the staged module without its native library to a temp folder and returns that folder.
    function Copy-ModuleWithoutLibrary {
        $copy = Join-Path ([IO.Path]::GetTempPath()) "mms-module-$([guid]::NewGuid().ToString('N'))/MeetingMigration"
        $null = New-Item -ItemType Directory $copy
        Get-ChildItem $script:MmsModulePath -Exclude bin | Copy-Item -Destination $copy -Recurse
        $copy
    }
}

AfterAll {
    Remove-TestStore $script:Store
}

Describe 'Manifest' {
    It 'exports exactly the module commands, as cmdlets' {
        $module = Get-Module MeetingMigration
        $module.ModuleType | Should -Be 'Binary'
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($script:Commands | Sort-Object)
        $module.ExportedFunctions.Count | Should -Be 0
    }

    It 'declares PowerShell 7.4 Core and the format file' {
        $data = Import-PowerShellDataFile (Join-Path $script:MmsModulePath 'MeetingMigration.psd1')
        $data.PowerShellVersion | Should -Be '7.4'
        $data.CompatiblePSEditions | Should -Be @('Core')
        $data.FormatsToProcess | Should -Contain 'MeetingMigration.Format.ps1xml'
        $data.CmdletsToExport | Should -Not -Contain '*'
    }

    It 'declares an output type on every command' -ForEach @(
        'Start-CsExMeetingMigration', 'Get-CsMeetingMigrationStatus', 'Get-CsOnlineUser',
        'Get-CsTenantMigrationConfiguration', 'Set-CsTenantMigrationConfiguration',
        'Get-CsOnlineDialInConferencingTenantSettings', 'Set-CsOnlineDialInConferencingTenantSettings',
        'New-MmsSampleTenant', 'Import-MmsTenantData', 'Export-MmsTenantData', 'Get-MmsTenant', 'New-MmsTenant', 'Set-MmsTenant', 'Get-MmsMeeting', 'Set-MmsMeeting',
        'Test-MmsStore', 'Backup-MmsStore', 'Set-MmsUser', 'Set-MmsUserLicense', 'Move-CsUser',
        'Grant-CsTeamsUpgradePolicy', 'Get-MmsFaultInjection', 'Set-MmsFaultInjection', 'Get-CsTeamsUpgradePolicy',
        'Set-CsOnlineDialInConferencingUser', 'Get-CsOnlineDialInConferencingUser', 'Set-CsOnlineDialInConferencingUserDefaultNumber') {
        (Get-Command $_).OutputType | Should -Not -BeNullOrEmpty
    }
}

Describe 'Import and removal' {
    It 'survives Import-Module -Force twice (the resolver is registered once)' {
        { Import-Module $script:MmsModulePath -Force -ErrorAction Stop } | Should -Not -Throw
        { Import-Module $script:MmsModulePath -Force -ErrorAction Stop } | Should -Not -Throw
        (Get-MmsTenant).TenantId | Should -Contain $script:SampleTenantId
    }

    It 'works again after Remove-Module then Import-Module' {
        Remove-Module MeetingMigration -Force
        Import-Module $script:MmsModulePath -ErrorAction Stop
        (Get-CsOnlineUser -Identity John@contoso.com).UserPrincipalName | Should -Be 'John@contoso.com'
    }

    It 'refuses to import without its native library, naming the path' {
        $copy = Copy-ModuleWithoutLibrary
        try {
            $output = & $script:Pwsh -NoProfile -NonInteractive -Command "try { Import-Module '$copy' -ErrorAction Stop; 'IMPORTED' } catch { 'ERROR: ' + `$_.Exception.Message }"
            $output | Should -Match '^ERROR: .*cannot load its native library'
            $output | Should -Not -Contain 'IMPORTED'
        }
        finally { Remove-Item (Split-Path $copy) -Recurse -Force }
    }

    It 'refuses a library with an unknown ABI version' {
        $cc = Get-Command cc, gcc -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $IsLinux -or -not $cc) { Set-ItResult -Skipped -Because 'needs a C compiler on Linux to build a fake library' }
        $copy = Copy-ModuleWithoutLibrary
        try {
            $bin = New-Item -ItemType Directory (Join-Path $copy "bin/linux-$([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant())")
            $source = Join-Path $bin 'fake.c'
            Set-Content $source 'unsigned int mms_abi_version(void) { return 99; } const char *mms_version(void) { return "fake"; }'
            & $cc.Source -shared -fPIC -o (Join-Path $bin 'libmeeting_migration.so') $source
            $output = & $script:Pwsh -NoProfile -NonInteractive -Command "try { Import-Module '$copy' -ErrorAction Stop; 'IMPORTED' } catch { 'ERROR: ' + `$_.Exception.Message }"
            $output | Should -Match '^ERROR: .*ABI version 99.*supports ABI version 2'
        }
        finally { Remove-Item (Split-Path $copy) -Recurse -Force }
    }
}

Describe 'Store location' {
    It 'creates the store at $env:MEETING_MIGRATION_STORE' {
        Test-Path -LiteralPath $script:Store | Should -BeTrue
    }

    It 'reopens on the new path when the variable changes between commands' {
        $other = New-TestStorePath
        try {
            $env:MEETING_MIGRATION_STORE = $other
            @(Get-MmsTenant).Count | Should -Be 0
            Test-Path -LiteralPath $other | Should -BeTrue
            $env:MEETING_MIGRATION_STORE = $script:Store
            (Get-MmsTenant).TenantId | Should -Contain $script:SampleTenantId
        }
        finally {
            $env:MEETING_MIGRATION_STORE = $script:Store
            $null = Get-MmsTenant  # the other store is closed once the session moves off it
            Remove-Item "$other*" -Force -ErrorAction SilentlyContinue
        }
    }

    It 'uses the platform data directory when the variable is not set' {
        $dataHome = Join-Path ([IO.Path]::GetTempPath()) "mms-xdg-$([guid]::NewGuid().ToString('N'))"
        try {
            $command = "Remove-Item Env:MEETING_MIGRATION_STORE -ErrorAction SilentlyContinue; `$env:XDG_DATA_HOME = '$dataHome'; `$env:LOCALAPPDATA = '$dataHome'; Import-Module '$($script:MmsModulePath)'; `$null = Get-MmsTenant"
            & $script:Pwsh -NoProfile -NonInteractive -Command $command
            Test-Path (Join-Path $dataHome 'MeetingMigration/mms.db') | Should -BeTrue
        }
        finally { Remove-Item $dataHome -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe 'Help' {
    It 'has a synopsis, a description and examples for <_>' -ForEach @(
        'Start-CsExMeetingMigration', 'Get-CsMeetingMigrationStatus', 'Get-CsOnlineUser',
        'Get-CsTenantMigrationConfiguration', 'Set-CsTenantMigrationConfiguration',
        'Get-CsOnlineDialInConferencingTenantSettings', 'Set-CsOnlineDialInConferencingTenantSettings',
        'New-MmsSampleTenant', 'Import-MmsTenantData', 'Export-MmsTenantData', 'Get-MmsTenant', 'New-MmsTenant', 'Set-MmsTenant', 'Get-MmsMeeting', 'Set-MmsMeeting',
        'Test-MmsStore', 'Backup-MmsStore', 'Set-MmsUser', 'Set-MmsUserLicense', 'Move-CsUser',
        'Grant-CsTeamsUpgradePolicy', 'Get-MmsFaultInjection', 'Set-MmsFaultInjection', 'Get-CsTeamsUpgradePolicy',
        'Set-CsOnlineDialInConferencingUser', 'Get-CsOnlineDialInConferencingUser', 'Set-CsOnlineDialInConferencingUserDefaultNumber') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -BeLike "$_*"   # not the generated syntax stub
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
    }

    It 'documents every parameter of Start-CsExMeetingMigration with text' {
        $help = Get-Help Start-CsExMeetingMigration -Full
        foreach ($name in 'Identity', 'SourceMeetingType', 'TargetMeetingType', 'Tenant', 'AsJob', 'WhatIf', 'Confirm') {
            $parameter = $help.Parameters.Parameter | Where-Object Name -EQ $name
            $parameter | Should -Not -BeNullOrEmpty -Because "-$name is documented"
            ($parameter.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$name has text"
        }
    }

    It 'shows the seed example, the positional form and a piped one for Start-CsExMeetingMigration' {
        $code = (Get-Help Start-CsExMeetingMigration -Full).Examples.Example.Code -join "`n"
        $code | Should -Match 'Start-CsExMeetingMigration -Identity John@contoso\.com'
        $code | Should -Match 'Start-CsExMeetingMigration [^-\s]'
        $code | Should -Match '\|\s*Start-CsExMeetingMigration'
    }

    It 'lists inputs and outputs for Start-CsExMeetingMigration' {
        $help = Get-Help Start-CsExMeetingMigration -Full
        ($help.inputTypes | Out-String).Trim() | Should -Not -BeNullOrEmpty
        ($help.returnValues | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has about_MeetingMigration' {
        (Get-Help about_MeetingMigration | Out-String) | Should -Match 'Start-CsExMeetingMigration'
    }
}
