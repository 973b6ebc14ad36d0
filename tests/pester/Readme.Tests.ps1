# The README's cmdlet table keeps working (issue 8: keep the README true): every example in it
# runs, as written, against a store with the sample tenant (or an empty one for
# New-MmsSampleTenant), with the files it names in the current folder.

BeforeDiscovery {
    $readme = Get-Content (Join-Path $PSScriptRoot '../../README.md')
    $inTable = $false
    $script:Examples = foreach ($line in $readme) {
        if ($line -match '^\| Cmdlet \| Example \|') { $inTable = $true; continue }
        if ($inTable -and $line -notmatch '^\|') { break }
        if (-not $inTable -or $line -match '^\|---') { continue }
        # The example column: code spans, with the table's escaped pipes restored. A span that
        # is only a file name (an alternative input) is not a command.
        $column = ($line -split '(?<!\\)\|')[2]
        foreach ($match in [regex]::Matches($column, '`([^`]+)`')) {
            $code = $match.Groups[1].Value -replace '\\\|', '|'
            if ($code -match '^(\$\w+ = )?[A-Z][a-z]+-[A-Za-z]+') { @{ Code = $code } }
        }
    }
}

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Scratch = New-TestScratch
    Set-Content (Join-Path $script:Scratch 'users.csv') "UserPrincipalName`nuser3@contoso.com`nuser4@contoso.com"
    Set-Content (Join-Path $script:Scratch 'contoso.json') (@{
            Users    = @(@{ UserPrincipalName = 'new.user@contoso.com'; DisplayName = 'New User' })
            Meetings = @(@{ Organizer = 'new.user@contoso.com'; Subject = 'Kickoff'; MeetingType = 'SfbOnline'
                    StartTime = '2031-01-01T10:00:00Z'; EndTime = '2031-01-01T11:00:00Z'; Attendees = @('a@fabrikam.com') })
        } | ConvertTo-Json -Depth 4)
    Push-Location $script:Scratch
}

AfterAll {
    Pop-Location
    Remove-TestStore -Scratch $script:Scratch
}

Describe 'README examples' {
    It 'covers every exported cmdlet' -ForEach @{ Codes = $Examples.Code } {
        $manifest = Import-PowerShellDataFile (Join-Path $script:MmsModulePath 'MeetingMigration.psd1')
        foreach ($cmdlet in $manifest.CmdletsToExport) {
            @($Codes -match [regex]::Escape($cmdlet)) | Should -Not -BeNullOrEmpty -Because "$cmdlet needs a README example"
        }
    }

    It 'runs: <Code>' -ForEach $Examples {
        $store = Initialize-TestStore -UserCount 10 -MeetingsPerUser 2 -Empty:($Code -like 'New-MmsSampleTenant*')
        try {
            # As an admin would paste it; any error, even a non-terminating one, fails it.
            { $ErrorActionPreference = 'Stop'; $null = & ([scriptblock]::Create($Code)) 3>$null 6>$null } | Should -Not -Throw
        }
        finally {
            Remove-TestStore $store
        }
    }
}
