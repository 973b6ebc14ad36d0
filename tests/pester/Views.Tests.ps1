# The module's views (issue 15): every table view renders at 80 and 120 columns without a
# header wrapped over several lines; the default tables show all their columns at 80; dates
# are UTC DateTime values shown the PowerShell way; Export-Csv writes no type names.

BeforeDiscovery {
    $formatFile = Join-Path ($env:MMS_MODULE_PATH ? $env:MMS_MODULE_PATH : (Join-Path $PSScriptRoot '../../out/MeetingMigration')) 'MeetingMigration.Format.ps1xml'
    $views = ([xml](Get-Content $formatFile -Raw)).Configuration.ViewDefinitions.View
    $seen = @{}
    $script:TableViews = foreach ($w in 80, 120) {
        $seen = @{}
        foreach ($v in $views) {
            $type = $v.ViewSelectedBy.TypeName -replace '^.*\.'
            $isDefault = -not $seen.ContainsKey($type)
            $seen[$type] = $true
            if (-not $v.TableControl) { continue }
            @{
                Name = $v.Name; Type = $type; Width = $w; Default = $isDefault
                Labels = @($v.TableControl.TableHeaders.TableColumnHeader | ForEach-Object Label)
            }
        }
    }
}

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Store = Initialize-TestStore -UserCount 5 -MeetingsPerUser 2
    $null = Start-CsExMeetingMigration John@contoso.com -Confirm:$false
    $null = Start-CsExMeetingMigration kenmyer@litwareinc.com -TargetMeetingType Teams -Confirm:$false
    Wait-MigrationIdle
    $script:Detail = Get-CsMeetingMigrationStatus -Identity John@contoso.com | Get-CsMeetingMigrationStatus

    # Real objects of each type, as the cmdlets return them.
    function Get-Sample([string] $Type) {
        switch ($Type) {
            'MigrationStatus' { Get-CsMeetingMigrationStatus }
            'MigrationSummary' { Get-CsMeetingMigrationStatus -SummaryOnly }
            'OnlineUser' { Get-CsOnlineUser }
            'MmsMeeting' { Get-MmsMeeting -Identity John@contoso.com }
            'MmsTenant' { Get-MmsTenant }
            'MeetingOutcome' { $script:Detail.Meetings }
            default { throw "No sample for $Type" }
        }
    }

    # The header of the first table in $Text: the label lines above the dashes, and for each
    # dash group its start, width and the label text above it.
    function Get-TableHeader([string] $Text) {
        $lines = $Text -split "`r?`n"
        $dash = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match '^-+( +-+)*\s*$' })
        if ($dash -lt 1) { throw "No table header in:`n$Text" }
        $top = $dash - 1
        while ($top -gt 0 -and $lines[$top - 1].Trim()) { $top-- }
        $columns = foreach ($m in [regex]::Matches($lines[$dash], '-+')) {
            $above = if ($lines[$dash - 1].Length -gt $m.Index) { $lines[$dash - 1].Substring($m.Index, [Math]::Min($m.Length, $lines[$dash - 1].Length - $m.Index)).Trim() } else { '' }
            [pscustomobject]@{ Label = $above; Width = $m.Length }
        }
        [pscustomobject]@{ HeaderLines = $dash - $top; Columns = @($columns); Lines = $lines }
    }
}

AfterAll {
    Remove-TestStore $script:Store
}

Describe 'Table views' {
    It '<Type> view <Name> at <Width> columns: whole labels on one line' -ForEach $TableViews {
        $objects = @(Get-Sample $Type)
        $objects.Count | Should -BeGreaterThan 0
        # A default view is what plain output uses; a named one is asked for by name.
        $text = if ($Default) { $objects | Out-String -Width $Width } else { $objects | Format-Table -View $Name | Out-String -Width $Width }
        $header = Get-TableHeader $text
        $header.HeaderLines | Should -Be 1 -Because "a wrapped header takes several lines:`n$text"
        $shown = @($header.Columns.Label)
        $shown | Should -Be @($Labels | Select-Object -First $shown.Count) -Because "whole columns are shown in the view's order:`n$text"
        foreach ($c in $header.Columns) { $c.Width | Should -BeGreaterOrEqual $c.Label.Length }
        foreach ($line in $header.Lines) { $line.TrimEnd().Length | Should -BeLessOrEqual $Width }
        if ($Default -or $Width -ge 120) {
            $shown | Should -Be $Labels -Because "every column of the view fits:`n$text"
        }
    }

    It 'has a Detailed view for every type whose default table leaves columns out' -ForEach @('MigrationStatus', 'OnlineUser', 'MmsMeeting', 'MmsTenant') {
        { Get-Sample $_ | Format-Table -View Detailed | Out-String } | Should -Not -Throw
    }
}

Describe 'List views' {
    It 'shows every field of a status record, the per-meeting outcomes counted' {
        $text = $script:Detail | Format-List | Out-String -Width 80
        foreach ($field in 'CorrelationId', 'UserId', 'UserPrincipalName', 'MigrationType', 'State', 'RetryCount', 'TotalMeeting',
            'SucceededMeeting', 'FailedMeeting', 'InvitesUpdate', 'LastMessage', 'CreateDate', 'ModifiedDate', 'Meetings') {
            $text | Should -Match "(?m)^$field\s+:"
        }
        $text | Should -Match "(?m)^Meetings\s+: $($script:Detail.TotalMeeting) meetings: \d+ succeeded, 1 failed, 0 pending$"
    }

    It 'shows the tenant migration configuration as a list, as Microsoft''s cmdlet does' {
        $text = Get-CsTenantMigrationConfiguration | Out-String -Width 80
        $text | Should -Match '(?m)^Identity\s+: Global$'
        $text | Should -Match '(?m)^MeetingMigrationEnabled\s+: True$'
    }
}

Describe 'Dates' {
    It 'are DateTime values of kind UTC' {
        $record = Get-CsMeetingMigrationStatus | Select-Object -First 1
        $record.CreateDate | Should -BeOfType [datetime]
        $record.CreateDate.Kind | Should -Be 'Utc'
        $record.ModifiedDate.Kind | Should -Be 'Utc'
        (Get-MmsMeeting -Identity John@contoso.com | Select-Object -First 1).StartTime.Kind | Should -Be 'Utc'
    }

    It 'show in a table as PowerShell shows the DateTime itself' {
        $record = Get-CsMeetingMigrationStatus -Identity John@contoso.com | Select-Object -First 1
        $text = $record | Format-Table -View Detailed | Out-String -Width 120
        $text | Should -Match ([regex]::Escape($record.ModifiedDate.ToString()))
    }
}

Describe 'Export-Csv' {
    It 'writes the per-meeting outcomes as counts, not as a type name' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "mms-views-$([guid]::NewGuid().ToString('N')).csv"
        try {
            $script:Detail | Export-Csv -LiteralPath $file
            Get-CsMeetingMigrationStatus | Export-Csv -LiteralPath $file -Append
            $rows = @(Import-Csv -LiteralPath $file)
            $rows.Count | Should -BeGreaterThan 1
            Get-Content -LiteralPath $file -Raw | Should -Not -Match 'MeetingMigration\.PowerShell|System\.'
            $rows[0].Meetings | Should -Be "$($script:Detail.TotalMeeting) meetings: $($script:Detail.SucceededMeeting) succeeded, 1 failed, 0 pending"
            $rows[1].Meetings | Should -BeNullOrEmpty
            [datetime]::Parse($rows[0].CreateDate, [cultureinfo]::CurrentCulture).ToString() | Should -Be $script:Detail.CreateDate.ToString()
        }
        finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    }
}
