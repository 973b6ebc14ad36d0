# The demo on an 80-column terminal (issue 15): its tables fit the console (no forced width),
# and it explains the meeting that was not migrated and the command that lists the outcomes.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:Demo = Join-Path $script:Root 'tools/Demo.ps1'
}

Describe 'Demo' {
    It 'forces no table width' {
        Get-Content $script:Demo -Raw | Should -Not -Match 'Out-String\s+-Width'
    }

    It 'tells its story at 80 columns' {
        if (-not $IsLinux -or -not (Get-Command script, stty -CommandType Application -ErrorAction SilentlyContinue)) {
            Set-ItResult -Skipped -Because 'needs util-linux script for an 80-column terminal'
        }
        $store = New-TestStorePath
        try {
            # A pseudo-terminal of 80 columns, as a new admin's console.
            $command = "stty cols 80 rows 50; '$($script:Pwsh)' -NoProfile -File '$($script:Demo)' -ModulePath '$($script:MmsModulePath)' -StorePath '$store'"
            $raw = & script -q -e -c $command /dev/null | Out-String
            $LASTEXITCODE | Should -Be 0 -Because $raw
            # Without colour codes and carriage returns.
            $text = $raw -replace "`e\[[0-9;?]*[A-Za-z]", '' -replace "`e\][^`a]*`a", '' -replace "`r", ''
            $lines = $text -split "`n"

            $text | Should -Match 'Meetings with more than 250 attendees are not migrated'
            $text | Should -Match ([regex]::Escape('PS> Get-CsMeetingMigrationStatus -Identity John@contoso.com | Get-CsMeetingMigrationStatus |'))
            $text | Should -Match 'Subject\s+: Quarterly kickoff \(300 attendees\)'
            $text | Should -Match 'Outcome\s+: Failed'
            $text | Should -Match 'Message\s+: The meeting has 300 attendees; meetings with more than 250'

            # Every table: one header line over its dashes, nothing wider than the terminal.
            $tables = 0
            for ($i = 1; $i -lt $lines.Count; $i++) {
                if ($lines[$i] -notmatch '^-+( +-+)*\s*$') { continue }
                $tables++
                $lines[$i - 1].Trim() | Should -Not -BeNullOrEmpty
                $lines[$i - 2].Trim() | Should -BeNullOrEmpty -Because "the header above line $i is one line:`n$text"
                $lines[$i].TrimEnd().Length | Should -BeLessOrEqual 80
                for ($j = $i + 1; $j -lt $lines.Count -and $lines[$j].Trim(); $j++) {
                    $lines[$j].TrimEnd().Length | Should -BeLessOrEqual 80 -Because "row '$($lines[$j])'"
                }
            }
            $tables | Should -BeGreaterOrEqual 6
        }
        finally { Remove-Item "$store*" -Force -ErrorAction SilentlyContinue }
    }
}
