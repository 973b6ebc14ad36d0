<#
.SYNOPSIS
    Turns the module's Markdown help pages (powershell/help/*.md) into one MAML file.

.DESCRIPTION
    Binary cmdlets take their help from MAML (en-US/<assembly>-Help.xml). platyPS is not
    available on this project's machines, so this script reads a small, fixed, platyPS-like
    Markdown structure and writes the MAML itself. Every text is XML-escaped (the file is
    written with System.Xml.XmlWriter). A malformed page is a terminating error that names
    the file, the section and the line.

    THE MARKDOWN STRUCTURE (one file per cmdlet, named <Verb-Noun>.md)

        # Verb-Noun                              the cmdlet name; must match the file name

        ## SYNOPSIS                              one short paragraph (required)

        ## SYNTAX                                one '### <SetName>' per parameter set; mark one
        ### <SetName> (Default)                  '(Default)' when there are several. Under each
        ```                                      heading a fenced block holding the syntax line.
        Verb-Noun [-Identity] <Object> ...       That line is GENERATED from PARAMETERS: the
        ```                                      converter fails when it is stale; run it with
                                                 -UpdateSyntax to rewrite the blocks in place.

        ## DESCRIPTION                           paragraphs (required)

        ## EXAMPLES                              at least one example (required)
        ### Example 1: <title>
        <optional introduction paragraphs>
        ```powershell                            the first fenced block is the example's code
        Start-CsExMeetingMigration -Identity John@contoso.com
        ```
        <remarks: paragraphs; further fenced blocks (e.g. ```output) are kept verbatim>

        ## PARAMETERS                            one '### -Name' per parameter, then
        ### -Identity                            '### CommonParameters' (required, last)
        <description paragraphs>
        ```yaml                                  one block per parameter; several blocks when
        Type: Object                             Required/Position differ between sets, each
        Parameter Sets: (All)                    naming its sets
        Aliases: UserPrincipalName, SipAddress   (optional; comma separated)
        Accepted values: All, SfB, Teams         (optional; comma separated)
        Required: True                           True | False
        Position: 0                              0, 1, ... | Named
        Default value: None
        Accept pipeline input: True (ByValue, ByPropertyName)   False | True (ByValue) |
                                                 True (ByPropertyName) | True (ByValue, ByPropertyName)
        Accept wildcard characters: False        (always False in this module)
        ```
        ### CommonParameters
        <text>

        ## INPUTS                                '### <TypeName>' then paragraphs; one or more
        ## OUTPUTS                               '### <TypeName>' then paragraphs; one or more
        ## NOTES                                 paragraphs (optional section)
        ## RELATED LINKS                         '- [text](uri)' or '- text' lines (optional)

    Sections appear in that order. Paragraphs are separated by blank lines; the lines of a
    paragraph are joined, except list items ('- ', '* ', '1. ') which keep one line each.
    In prose, `inline code` loses its backticks and [text](uri) becomes 'text (uri)'.
    Fenced blocks are copied verbatim. Lines starting with '<!--' up to '-->' are comments.

.PARAMETER SourcePath
    The folder holding the <Verb-Noun>.md pages.

.PARAMETER OutputPath
    The MAML file to write, normally <module>/en-US/MeetingMigration.PowerShell.dll-Help.xml.
    Its folder is created when missing.

.PARAMETER UpdateSyntax
    Rewrite each page's SYNTAX blocks from its PARAMETERS instead of failing when they are stale.

.PARAMETER ModulePath
    Optional: the built module (its folder or .psd1, which the script imports) or its cmdlet
    assembly (a .dll, read by reflection without importing it). The script fails when the
    pages and the cmdlets disagree: a cmdlet without a page, a page without a cmdlet, a parameter
    missing on either side, or a different type, parameter set, Required, Position, pipeline
    input, aliases or accepted values (ValidateSet or enum). Run it in a fresh pwsh process.

.EXAMPLE
    dotnet pwsh -NoProfile -File tools/ConvertTo-MamlHelp.ps1 -SourcePath powershell/help -OutputPath out/MeetingMigration/en-US/MeetingMigration.PowerShell.dll-Help.xml
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $SourcePath,
    [Parameter(Mandatory)] [string] $OutputPath,
    [switch] $UpdateSyntax,
    [string] $ModulePath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$script:SectionOrder = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
$script:RequiredSections = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS')
$script:YamlKeys = @('Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position', 'Default value',
    'Accept pipeline input', 'Accept wildcard characters')
$script:RequiredYamlKeys = @('Type', 'Parameter Sets', 'Required', 'Position', 'Accept pipeline input')
$script:PipelineValues = @('False', 'True (ByValue)', 'True (ByPropertyName)', 'True (ByValue, ByPropertyName)')

function Fail([string] $File, [string] $Section, [int] $Line, [string] $Message) {
    $where = if ($Line -gt 0) { "${File}:$Line" } else { $File }
    throw "Malformed help page ${where}, section '$Section': $Message"
}

# ---------------------------------------------------------------- Markdown reading

# Splits lines into blocks: @{ Kind = 'Heading'|'Fence'|'Para'; Level; Text; Lang; Lines; Line }.
function Read-Blocks([string] $File, [string[]] $Lines) {
    $blocks = [System.Collections.Generic.List[object]]::new()
    $para = [System.Collections.Generic.List[string]]::new()
    $paraLine = 0
    $flush = {
        if ($para.Count -gt 0) {
            $blocks.Add([pscustomobject]@{ Kind = 'Para'; Level = 0; Text = $null; Lang = $null; Lines = @($para); Line = $paraLine })
            $para.Clear()
        }
    }
    $i = 0
    while ($i -lt $Lines.Count) {
        $line = $Lines[$i]
        $n = $i + 1
        if ($line -match '^\s*<!--') {
            . $flush
            while ($i -lt $Lines.Count -and $Lines[$i] -notmatch '-->') { $i++ }
            if ($i -ge $Lines.Count) { Fail $File '(any)' $n 'an HTML comment is never closed with -->' }
            $i++
            continue
        }
        if ($line -match '^(`{3,}|~{3,})\s*([\w-]*)\s*$') {
            . $flush
            $fence = $Matches[1]; $lang = $Matches[2]
            $body = [System.Collections.Generic.List[string]]::new()
            $i++
            while ($i -lt $Lines.Count -and $Lines[$i] -notmatch ('^' + [regex]::Escape($fence) + '\s*$')) { $body.Add($Lines[$i]); $i++ }
            if ($i -ge $Lines.Count) { Fail $File '(any)' $n "the fenced block opened here ($fence$lang) is never closed" }
            $blocks.Add([pscustomobject]@{ Kind = 'Fence'; Level = 0; Text = $null; Lang = $lang; Lines = @($body); Line = $n })
            $i++
            continue
        }
        if ($line -match '^(#{1,6})\s+(.*?)\s*#*\s*$') {
            . $flush
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Level = $Matches[1].Length; Text = $Matches[2]; Lang = $null; Lines = @(); Line = $n })
            $i++
            continue
        }
        if ($line -match '^\s*$') { . $flush; $i++; continue }
        if ($para.Count -eq 0) { $paraLine = $n }
        $para.Add($line)
        $i++
    }
    . $flush
    $blocks
}

# Prose: join a paragraph's lines (list items stay one per line), drop inline-code backticks,
# turn links into "text (uri)".
function ConvertTo-Prose([string[]] $Lines) {
    $out = [System.Collections.Generic.List[string]]::new()
    foreach ($l in $Lines) {
        $t = $l.Trim()
        if ($t -match '^([-*+]|\d+\.)\s+' -or $out.Count -eq 0) { $out.Add($t) }
        else { $out[$out.Count - 1] = $out[$out.Count - 1] + ' ' + $t }
    }
    $text = $out -join "`n"
    $text = [regex]::Replace($text, '\[([^\]]+)\]\(([^)\s]+)\)', '$1 ($2)')
    $text = [regex]::Replace($text, '(?<!`)`([^`\r\n]+)`(?!`)', '$1')
    $text = [regex]::Replace($text, '\*\*([^*]+)\*\*', '$1')
    $text
}

# Paragraph blocks (and verbatim fences) -> list of paragraph strings.
function Get-Paragraphs([object[]] $Blocks) {
    foreach ($b in $Blocks) {
        if ($b.Kind -eq 'Para') { ConvertTo-Prose $b.Lines }
        elseif ($b.Kind -eq 'Fence') { ($b.Lines -join "`n") }
    }
}

function Split-ByHeading([object[]] $Blocks, [int] $Level) {
    # -> @{ Intro = blocks before the first heading; Parts = @(@{ Heading; Blocks }) }
    $intro = [System.Collections.Generic.List[object]]::new()
    $parts = [System.Collections.Generic.List[object]]::new()
    $current = $null
    foreach ($b in $Blocks) {
        if ($b.Kind -eq 'Heading' -and $b.Level -eq $Level) {
            $current = [pscustomobject]@{ Heading = $b; Blocks = [System.Collections.Generic.List[object]]::new() }
            $parts.Add($current)
        }
        elseif ($null -eq $current) { $intro.Add($b) }
        else { $current.Blocks.Add($b) }
    }
    [pscustomobject]@{ Intro = @($intro); Parts = @($parts) }
}

function Assert-NoHeadings([string] $File, [string] $Section, [object[]] $Blocks) {
    foreach ($b in $Blocks) {
        if ($b.Kind -eq 'Heading') { Fail $File $Section $b.Line "unexpected heading '$('#' * $b.Level) $($b.Text)'" }
    }
}

function Split-List([string] $Value) {
    if ([string]::IsNullOrWhiteSpace($Value) -or $Value.Trim() -eq 'None') { return @() }
    @($Value.Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ })
}

function Read-ParameterYaml([string] $File, [string] $Name, [object] $Fence) {
    $section = "PARAMETERS / -$Name"
    if ($Fence.Lang -ne 'yaml') { Fail $File $section $Fence.Line "the parameter's block must be a ```yaml block (found '$($Fence.Lang)')" }
    $map = [ordered]@{}
    $n = $Fence.Line
    foreach ($l in $Fence.Lines) {
        $n++
        if ($l -match '^\s*$') { continue }
        if ($l -notmatch '^([A-Za-z][A-Za-z ]*):\s*(.*?)\s*$') { Fail $File $section $n "expected 'Key: value', found '$l'" }
        $key = $Matches[1]; $value = $Matches[2]
        if ($key -notin $script:YamlKeys) { Fail $File $section $n "unknown key '$key' (known: $($script:YamlKeys -join ', '))" }
        if ($map.Contains($key)) { Fail $File $section $n "key '$key' appears twice" }
        $map[$key] = $value
    }
    foreach ($k in $script:RequiredYamlKeys) {
        if (-not $map.Contains($k) -or [string]::IsNullOrWhiteSpace($map[$k])) { Fail $File $section $Fence.Line "key '$k' is missing or empty" }
    }
    if ($map['Required'] -notin @('True', 'False')) { Fail $File $section $Fence.Line "Required must be True or False, not '$($map['Required'])'" }
    $position = $map['Position']
    if ($position -ne 'Named' -and $position -notmatch '^\d+$') { Fail $File $section $Fence.Line "Position must be a number or Named, not '$position'" }
    if ($map['Accept pipeline input'] -cnotin $script:PipelineValues) {
        Fail $File $section $Fence.Line "Accept pipeline input must be one of: $($script:PipelineValues -join ' | ') (found '$($map['Accept pipeline input'])')"
    }
    $wild = if ($map.Contains('Accept wildcard characters')) { $map['Accept wildcard characters'] } else { 'False' }
    if ($wild -notin @('True', 'False')) { Fail $File $section $Fence.Line "Accept wildcard characters must be True or False" }
    $type = $map['Type']
    if ($type -notmatch '^[\w.\[\]`,]+$') { Fail $File $section $Fence.Line "Type '$type' is not a type name" }
    $default = if ($map.Contains('Default value') -and $map['Default value']) { $map['Default value'] } else { 'None' }
    [pscustomobject]@{
        Type           = $type
        Sets           = @(Split-List $map['Parameter Sets'])
        Aliases        = @(Split-List $(if ($map.Contains('Aliases')) { $map['Aliases'] } else { '' }))
        AcceptedValues = @(Split-List $(if ($map.Contains('Accepted values')) { $map['Accepted values'] } else { '' }))
        Required       = $map['Required'] -eq 'True'
        Position       = $position
        Default        = $default
        Pipeline       = $map['Accept pipeline input']
        Globbing       = $wild -eq 'True'
    }
}

function Read-HelpPage([string] $Path) {
    $file = Resolve-Path -LiteralPath $Path -Relative
    if ($file.StartsWith('..')) { $file = $Path }
    $lines = [System.IO.File]::ReadAllLines($Path)
    $blocks = @(Read-Blocks $file $lines)
    $expected = [System.IO.Path]::GetFileNameWithoutExtension($Path)

    if ($blocks.Count -eq 0 -or $blocks[0].Kind -ne 'Heading' -or $blocks[0].Level -ne 1) {
        Fail $file '(title)' 1 "the page must start with '# $expected'"
    }
    $name = $blocks[0].Text
    if ($name -cne $expected) { Fail $file '(title)' $blocks[0].Line "the title '$name' does not match the file name '$expected'" }
    if ($name -notmatch '^([A-Za-z]+)-([A-Za-z]+)$') { Fail $file '(title)' $blocks[0].Line "'$name' is not a Verb-Noun name" }
    $verb = $Matches[1]; $noun = $Matches[2]
    foreach ($b in $blocks | Select-Object -Skip 1) {
        if ($b.Kind -eq 'Heading' -and $b.Level -eq 1) { Fail $file '(title)' $b.Line 'a page has one level-1 heading' }
    }

    $split = Split-ByHeading ($blocks | Select-Object -Skip 1) 2
    if ($split.Intro.Count -gt 0) { Fail $file '(title)' $split.Intro[0].Line "text before '## SYNOPSIS'" }
    $sections = [ordered]@{}
    $lastIndex = -1
    foreach ($part in $split.Parts) {
        $title = $part.Heading.Text
        $index = [array]::IndexOf($script:SectionOrder, $title)
        if ($index -lt 0) { Fail $file $title $part.Heading.Line "unknown section (expected: $($script:SectionOrder -join ', '))" }
        if ($sections.Contains($title)) { Fail $file $title $part.Heading.Line 'the section appears twice' }
        if ($index -lt $lastIndex) { Fail $file $title $part.Heading.Line "out of order (sections go: $($script:SectionOrder -join ', '))" }
        $lastIndex = $index
        $sections[$title] = $part
    }
    foreach ($s in $script:RequiredSections) {
        if (-not $sections.Contains($s)) { Fail $file $s 0 'the required section is missing' }
    }

    # SYNOPSIS
    $syn = $sections['SYNOPSIS']
    Assert-NoHeadings $file 'SYNOPSIS' $syn.Blocks
    $synopsis = @(Get-Paragraphs $syn.Blocks)
    if ($synopsis.Count -eq 0) { Fail $file 'SYNOPSIS' $syn.Heading.Line 'the synopsis is empty' }

    # SYNTAX: set names (and the generated lines, checked later)
    $syntaxSection = $sections['SYNTAX']
    $syntaxSplit = Split-ByHeading $syntaxSection.Blocks 3
    if ($syntaxSplit.Intro.Count -gt 0) { Fail $file 'SYNTAX' $syntaxSplit.Intro[0].Line "expected '### <SetName>' headings only" }
    if ($syntaxSplit.Parts.Count -eq 0) { Fail $file 'SYNTAX' $syntaxSection.Heading.Line "declare at least one parameter set ('### <SetName>')" }
    $sets = [System.Collections.Generic.List[object]]::new()
    foreach ($p in $syntaxSplit.Parts) {
        if ($p.Heading.Text -notmatch '^(\w+)(\s+\(Default\))?$') { Fail $file 'SYNTAX' $p.Heading.Line "'$($p.Heading.Text)' is not '<SetName>' or '<SetName> (Default)'" }
        $setName = $Matches[1]
        if ($sets | Where-Object Name -eq $setName) { Fail $file 'SYNTAX' $p.Heading.Line "parameter set '$setName' is declared twice" }
        Assert-NoHeadings $file "SYNTAX / $setName" $p.Blocks
        $fences = @($p.Blocks | Where-Object Kind -eq 'Fence')
        if (@($p.Blocks | Where-Object Kind -ne 'Fence').Count -gt 0 -or $fences.Count -gt 1) {
            Fail $file "SYNTAX / $setName" $p.Heading.Line 'a set heading takes one fenced block with its syntax line and nothing else'
        }
        $sets.Add([pscustomobject]@{
                Name = $setName; Default = [bool]$Matches[2]; Heading = $p.Heading
                Written = if ($fences.Count) { ($fences[0].Lines | ForEach-Object { $_.TrimEnd() }) -join "`n" } else { $null }
            })
    }
    $defaults = @($sets | Where-Object Default)
    if ($sets.Count -gt 1 -and $defaults.Count -ne 1) { Fail $file 'SYNTAX' $syntaxSection.Heading.Line "with several parameter sets exactly one is marked '(Default)'" }
    if ($sets.Count -eq 1 -and $defaults.Count -eq 0) { $sets[0].Default = $true }

    # DESCRIPTION
    $desc = $sections['DESCRIPTION']
    Assert-NoHeadings $file 'DESCRIPTION' $desc.Blocks
    $description = @(Get-Paragraphs $desc.Blocks)
    if ($description.Count -eq 0) { Fail $file 'DESCRIPTION' $desc.Heading.Line 'the description is empty' }

    # EXAMPLES
    $exSection = $sections['EXAMPLES']
    $exSplit = Split-ByHeading $exSection.Blocks 3
    if ($exSplit.Intro.Count -gt 0) { Fail $file 'EXAMPLES' $exSplit.Intro[0].Line "expected '### Example N: <title>' headings only" }
    if ($exSplit.Parts.Count -eq 0) { Fail $file 'EXAMPLES' $exSection.Heading.Line 'at least one example is required' }
    $examples = [System.Collections.Generic.List[object]]::new()
    $number = 0
    foreach ($p in $exSplit.Parts) {
        $number++
        if ($p.Heading.Text -notmatch '^Example (\d+): (\S.*)$') { Fail $file 'EXAMPLES' $p.Heading.Line "'$($p.Heading.Text)' is not 'Example N: <title>'" }
        if ([int]$Matches[1] -ne $number) { Fail $file 'EXAMPLES' $p.Heading.Line "expected Example $number (examples are numbered 1, 2, ...)" }
        $title = $p.Heading.Text
        Assert-NoHeadings $file "EXAMPLES / $title" $p.Blocks
        $codeIndex = -1
        for ($k = 0; $k -lt $p.Blocks.Count; $k++) { if ($p.Blocks[$k].Kind -eq 'Fence') { $codeIndex = $k; break } }
        if ($codeIndex -lt 0) { Fail $file "EXAMPLES / $title" $p.Heading.Line 'the example has no fenced code block' }
        $code = ($p.Blocks[$codeIndex].Lines -join "`n").TrimEnd()
        if (-not $code) { Fail $file "EXAMPLES / $title" $p.Blocks[$codeIndex].Line 'the code block is empty' }
        $intro = @(if ($codeIndex -gt 0) { Get-Paragraphs $p.Blocks[0..($codeIndex - 1)] })
        $remarks = @(if ($codeIndex -lt $p.Blocks.Count - 1) { Get-Paragraphs $p.Blocks[($codeIndex + 1)..($p.Blocks.Count - 1)] })
        if ($intro.Count + $remarks.Count -eq 0) { Fail $file "EXAMPLES / $title" $p.Heading.Line 'the example needs remarks that say what it does' }
        $examples.Add([pscustomobject]@{ Title = $title; Introduction = $intro; Code = $code; Remarks = $remarks })
    }

    # PARAMETERS
    $parSection = $sections['PARAMETERS']
    $parSplit = Split-ByHeading $parSection.Blocks 3
    if ($parSplit.Intro.Count -gt 0) { Fail $file 'PARAMETERS' $parSplit.Intro[0].Line "expected '### -Name' headings only" }
    $parameters = [System.Collections.Generic.List[object]]::new()
    $common = $null
    $setNames = @($sets | ForEach-Object Name)
    foreach ($p in $parSplit.Parts) {
        $h = $p.Heading.Text
        if ($h -eq 'CommonParameters') {
            if ($null -ne $common) { Fail $file 'PARAMETERS' $p.Heading.Line 'CommonParameters appears twice' }
            Assert-NoHeadings $file 'PARAMETERS / CommonParameters' $p.Blocks
            $common = @(Get-Paragraphs $p.Blocks)
            if ($common.Count -eq 0) { Fail $file 'PARAMETERS / CommonParameters' $p.Heading.Line 'the text is empty' }
            continue
        }
        if ($null -ne $common) { Fail $file 'PARAMETERS' $p.Heading.Line "'### CommonParameters' must come last" }
        if ($h -notmatch '^-([A-Za-z][A-Za-z0-9]*)$') { Fail $file 'PARAMETERS' $p.Heading.Line "'$h' is not '-ParameterName'" }
        $pname = $Matches[1]
        if ($parameters | Where-Object Name -eq $pname) { Fail $file 'PARAMETERS' $p.Heading.Line "-$pname is described twice" }
        Assert-NoHeadings $file "PARAMETERS / -$pname" $p.Blocks
        $yamlBlocks = @($p.Blocks | Where-Object { $_.Kind -eq 'Fence' -and $_.Lang -eq 'yaml' })
        $textBlocks = @($p.Blocks | Where-Object { -not ($_.Kind -eq 'Fence' -and $_.Lang -eq 'yaml') })
        if ($yamlBlocks.Count -eq 0) { Fail $file "PARAMETERS / -$pname" $p.Heading.Line 'the ```yaml block (Type, Parameter Sets, Required, ...) is missing' }
        $text = @(Get-Paragraphs $textBlocks)
        if ($text.Count -eq 0) { Fail $file "PARAMETERS / -$pname" $p.Heading.Line 'the parameter has no description' }
        $variants = @(foreach ($y in $yamlBlocks) { Read-ParameterYaml $file $pname $y })
        $bySet = [ordered]@{}
        foreach ($v in $variants) {
            if ($v.Type -ne $variants[0].Type) { Fail $file "PARAMETERS / -$pname" $p.Heading.Line 'all yaml blocks of one parameter must give the same Type' }
            $vsets = if ($v.Sets.Count -eq 1 -and $v.Sets[0] -eq '(All)') { $setNames } else { $v.Sets }
            foreach ($s in $vsets) {
                if ($s -notin $setNames) { Fail $file "PARAMETERS / -$pname" $p.Heading.Line "parameter set '$s' is not declared under SYNTAX (declared: $($setNames -join ', '))" }
                if ($bySet.Contains($s)) { Fail $file "PARAMETERS / -$pname" $p.Heading.Line "parameter set '$s' is named by two yaml blocks" }
                $bySet[$s] = $v
            }
        }
        $parameters.Add([pscustomobject]@{ Name = $pname; Text = $text; Variants = $variants; BySet = $bySet; Primary = $variants[0] })
    }
    if ($null -eq $common) { Fail $file 'PARAMETERS' $parSection.Heading.Line "'### CommonParameters' is missing" }
    foreach ($s in $sets) {
        foreach ($pos in @($parameters | ForEach-Object { if ($_.BySet.Contains($s.Name) -and $_.BySet[$s.Name].Position -ne 'Named') { $_.BySet[$s.Name].Position } } | Group-Object | Where-Object Count -gt 1)) {
            Fail $file 'PARAMETERS' $parSection.Heading.Line "two parameters of set '$($s.Name)' take position $($pos.Name)"
        }
    }

    # INPUTS / OUTPUTS
    $types = @{}
    foreach ($kind in 'INPUTS', 'OUTPUTS') {
        $sec = $sections[$kind]
        $tsplit = Split-ByHeading $sec.Blocks 3
        if ($tsplit.Intro.Count -gt 0) { Fail $file $kind $tsplit.Intro[0].Line "expected '### <TypeName>' headings only" }
        if ($tsplit.Parts.Count -eq 0) { Fail $file $kind $sec.Heading.Line "at least one '### <TypeName>' (use '### None' when there is none)" }
        $types[$kind] = @(foreach ($t in $tsplit.Parts) {
                Assert-NoHeadings $file "$kind / $($t.Heading.Text)" $t.Blocks
                $tt = @(Get-Paragraphs $t.Blocks)
                if ($tt.Count -eq 0) { Fail $file "$kind / $($t.Heading.Text)" $t.Heading.Line 'the type needs a sentence saying what it is' }
                [pscustomobject]@{ Type = $t.Heading.Text; Text = $tt }
            })
    }

    # NOTES
    $notes = @()
    if ($sections.Contains('NOTES')) {
        Assert-NoHeadings $file 'NOTES' $sections['NOTES'].Blocks
        $notes = @(Get-Paragraphs $sections['NOTES'].Blocks)
    }

    # RELATED LINKS
    $links = @()
    if ($sections.Contains('RELATED LINKS')) {
        $rl = $sections['RELATED LINKS']
        Assert-NoHeadings $file 'RELATED LINKS' $rl.Blocks
        $links = @(foreach ($b in $rl.Blocks) {
                if ($b.Kind -ne 'Para') { Fail $file 'RELATED LINKS' $b.Line "expected '- [text](uri)' or '- text' lines" }
                $ln = $b.Line
                foreach ($l in $b.Lines) {
                    if ($l -match '^\s*[-*]\s+\[([^\]]+)\]\(([^)\s]*)\)\s*$') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
                    elseif ($l -match '^\s*[-*]\s+(\S.*?)\s*$') { [pscustomobject]@{ Text = $Matches[1]; Uri = '' } }
                    else { Fail $file 'RELATED LINKS' $ln "expected '- [text](uri)' or '- text', found '$l'" }
                    $ln++
                }
            })
    }

    [pscustomobject]@{
        File = $file; Path = $Path; Lines = $lines; Name = $name; Verb = $verb; Noun = $noun
        Synopsis = $synopsis; Sets = @($sets); Description = $description; Examples = @($examples)
        Parameters = @($parameters); CommonParameters = $common
        Inputs = $types['INPUTS']; Outputs = $types['OUTPUTS']; Notes = $notes; Links = $links
    }
}

# ---------------------------------------------------------------- syntax

function Get-TypeLabel([string] $Type) { ($Type -replace '^System\.', '') }

function Test-Switch([string] $Type) { $Type -in @('SwitchParameter', 'System.Management.Automation.SwitchParameter') }

# The parameters of one set in PowerShell's syntax order: positional by position, then the
# named ones, required first, each group in page order.
function Get-SetParameters([object] $Page, [string] $SetName) {
    $inSet = @($Page.Parameters | Where-Object { $_.BySet.Contains($SetName) })
    $positional = @($inSet | Where-Object { $_.BySet[$SetName].Position -ne 'Named' } | Sort-Object { [int]$_.BySet[$SetName].Position })
    $named = @($inSet | Where-Object { $_.BySet[$SetName].Position -eq 'Named' })
    @($positional) + @($named | Where-Object { $_.BySet[$SetName].Required -and $_.Name -notin 'WhatIf', 'Confirm' }) +
    @($named | Where-Object { -not $_.BySet[$SetName].Required -and $_.Name -notin 'WhatIf', 'Confirm' }) +
    @($named | Where-Object { $_.Name -eq 'WhatIf' }) + @($named | Where-Object { $_.Name -eq 'Confirm' })
}

function Get-SyntaxLine([object] $Page, [string] $SetName) {
    $parts = foreach ($p in Get-SetParameters $Page $SetName) {
        $v = $p.BySet[$SetName]
        $nameText = if ($v.Position -ne 'Named') { "[-$($p.Name)]" } else { "-$($p.Name)" }
        $token = if (Test-Switch $v.Type) {
            "-$($p.Name)"
        }
        else {
            $valueText = if ($v.AcceptedValues.Count) { '{' + ($v.AcceptedValues -join ' | ') + '}' } else { '<' + (Get-TypeLabel $v.Type) + '>' }
            "$nameText $valueText"
        }
        if ($v.Required) { $token } else { "[$token]" }
    }
    (@($Page.Name) + @($parts) + '[<CommonParameters>]') -join ' '
}

function Update-SyntaxBlocks([object] $Page) {
    # Rewrites the SYNTAX section of the source page with the generated lines.
    $lines = [System.Collections.Generic.List[string]]::new()
    $start = [array]::IndexOf($Page.Lines, '## SYNTAX')
    $end = $start + 1
    while ($end -lt $Page.Lines.Count -and $Page.Lines[$end] -notmatch '^## ') { $end++ }
    for ($i = 0; $i -le $start; $i++) { $lines.Add($Page.Lines[$i]) }
    $lines.Add('')
    foreach ($s in $Page.Sets) {
        $lines.Add("### $($s.Name)$(if ($s.Default -and $Page.Sets.Count -gt 1) { ' (Default)' })")
        $lines.Add('```')
        $lines.Add((Get-SyntaxLine $Page $s.Name))
        $lines.Add('```')
        $lines.Add('')
    }
    for ($i = $end; $i -lt $Page.Lines.Count; $i++) { $lines.Add($Page.Lines[$i]) }
    [System.IO.File]::WriteAllLines($Page.Path, $lines, [System.Text.UTF8Encoding]::new($false))
}

# ---------------------------------------------------------------- MAML writing

$script:NsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$script:NsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:NsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'

function Write-Paras([System.Xml.XmlWriter] $W, [string[]] $Paras) {
    if (-not $Paras -or $Paras.Count -eq 0) { $W.WriteElementString('para', $script:NsMaml, ''); return }
    foreach ($p in $Paras) { $W.WriteElementString('para', $script:NsMaml, $p) }
}

function Write-Description([System.Xml.XmlWriter] $W, [string] $Ns, [string[]] $Paras) {
    $W.WriteStartElement('description', $Ns)
    Write-Paras $W $Paras
    $W.WriteEndElement()
}

function Write-Parameter([System.Xml.XmlWriter] $W, [object] $P, [object] $V, [bool] $InSyntax) {
    $W.WriteStartElement('parameter', $script:NsCommand)
    $W.WriteAttributeString('required', $V.Required.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', ($V.Type -match '\[\]$').ToString().ToLowerInvariant())
    $W.WriteAttributeString('globbing', $V.Globbing.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $V.Pipeline)
    $W.WriteAttributeString('position', $(if ($V.Position -eq 'Named') { 'named' } else { $V.Position }))
    $W.WriteAttributeString('aliases', $(if ($V.Aliases.Count) { $V.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('name', $script:NsMaml, $P.Name)
    Write-Description $W $script:NsMaml $P.Text
    if ($V.AcceptedValues.Count) {
        $W.WriteStartElement('parameterValueGroup', $script:NsCommand)
        foreach ($a in $V.AcceptedValues) {
            $W.WriteStartElement('parameterValue', $script:NsCommand)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('command', 'variableLength', $script:NsCommand, 'false')
            $W.WriteString($a)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    $isSwitch = Test-Switch $V.Type
    if (-not ($InSyntax -and $isSwitch)) {
        $W.WriteStartElement('parameterValue', $script:NsCommand)
        $W.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
        $W.WriteAttributeString('variableLength', ($V.Type -match '\[\]$').ToString().ToLowerInvariant())
        $W.WriteString((Get-TypeLabel $V.Type))
        $W.WriteEndElement()
    }
    $W.WriteStartElement('type', $script:NsDev)
    $W.WriteElementString('name', $script:NsMaml, (Get-TypeLabel $V.Type))
    $W.WriteElementString('uri', $script:NsMaml, '')
    $W.WriteEndElement()
    $W.WriteElementString('defaultValue', $script:NsDev, $V.Default)
    $W.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $W, [object] $Page) {
    $W.WriteStartElement('command', 'command', $script:NsCommand)
    $W.WriteAttributeString('xmlns', 'maml', $null, $script:NsMaml)
    $W.WriteAttributeString('xmlns', 'dev', $null, $script:NsDev)

    $W.WriteStartElement('details', $script:NsCommand)
    $W.WriteElementString('name', $script:NsCommand, $Page.Name)
    $W.WriteElementString('verb', $script:NsCommand, $Page.Verb)
    $W.WriteElementString('noun', $script:NsCommand, $Page.Noun)
    Write-Description $W $script:NsMaml $Page.Synopsis
    $W.WriteEndElement()

    Write-Description $W $script:NsMaml $Page.Description

    $W.WriteStartElement('syntax', $script:NsCommand)
    foreach ($s in @($Page.Sets | Where-Object Default) + @($Page.Sets | Where-Object { -not $_.Default })) {
        $W.WriteStartElement('syntaxItem', $script:NsCommand)
        $W.WriteElementString('name', $script:NsMaml, $Page.Name)
        foreach ($p in Get-SetParameters $Page $s.Name) { Write-Parameter $W $p $p.BySet[$s.Name] $true }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('parameters', $script:NsCommand)
    foreach ($p in $Page.Parameters) { Write-Parameter $W $p $p.Primary $false }
    $W.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Page.Inputs), @('returnValues', 'returnValue', $Page.Outputs))) {
        $W.WriteStartElement($kind[0], $script:NsCommand)
        foreach ($t in $kind[2]) {
            $W.WriteStartElement($kind[1], $script:NsCommand)
            $W.WriteStartElement('type', $script:NsDev)
            $W.WriteElementString('name', $script:NsMaml, $t.Type)
            $W.WriteEndElement()
            Write-Description $W $script:NsMaml $t.Text
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }

    $W.WriteStartElement('alertSet', $script:NsMaml)
    $W.WriteStartElement('alert', $script:NsMaml)
    Write-Paras $W $Page.Notes
    $W.WriteEndElement()
    $W.WriteEndElement()

    $W.WriteStartElement('examples', $script:NsCommand)
    foreach ($e in $Page.Examples) {
        $W.WriteStartElement('example', $script:NsCommand)
        $W.WriteElementString('title', $script:NsMaml, "-------------------------- $($e.Title) --------------------------")
        if ($e.Introduction.Count) {
            $W.WriteStartElement('introduction', $script:NsMaml)
            Write-Paras $W $e.Introduction
            $W.WriteEndElement()
        }
        $W.WriteElementString('code', $script:NsDev, $e.Code)
        $W.WriteStartElement('remarks', $script:NsDev)
        Write-Paras $W $e.Remarks
        $W.WriteElementString('para', $script:NsMaml, '')   # a blank line before the next example
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('relatedLinks', $script:NsCommand)
    foreach ($l in $Page.Links) {
        $W.WriteStartElement('navigationLink', $script:NsMaml)
        $W.WriteElementString('linkText', $script:NsMaml, $l.Text)
        $W.WriteElementString('uri', $script:NsMaml, $l.Uri)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement()   # command:command
}

# ---------------------------------------------------------------- main

if (-not (Test-Path -LiteralPath $SourcePath -PathType Container)) { throw "SourcePath '$SourcePath' is not a folder" }
$files = @(Get-ChildItem -LiteralPath $SourcePath -Filter '*.md' -File | Sort-Object Name)
if ($files.Count -eq 0) { throw "No Markdown help pages (*.md) in '$SourcePath'" }

$pages = foreach ($f in $files) {
    $page = Read-HelpPage $f.FullName
    $stale = @($page.Sets | Where-Object { $_.Written -cne (Get-SyntaxLine $page $_.Name) })
    if ($stale.Count) {
        if ($UpdateSyntax) {
            Update-SyntaxBlocks $page
            Write-Verbose "Rewrote the SYNTAX of $($page.File)"
        }
        else {
            $s = $stale[0]
            $want = Get-SyntaxLine $page $s.Name
            Fail $page.File "SYNTAX / $($s.Name)" $s.Heading.Line ("the syntax block is stale or missing; it should read:`n    $want`n" +
                "(run tools/ConvertTo-MamlHelp.ps1 with -UpdateSyntax to rewrite it)")
        }
    }
    $page
}

# ---------------------------------------------------------------- cross-check with the module

$script:CommonNames = [System.Collections.Generic.HashSet[string]]::new(
    [string[]]([System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters),
    [System.StringComparer]::OrdinalIgnoreCase)
$null = $script:CommonNames.Remove('WhatIf'); $null = $script:CommonNames.Remove('Confirm')

function Test-TypeMatch([type] $Actual, [string] $Written) {
    $t = $Actual
    if ($t.IsGenericType -and $t.GetGenericTypeDefinition() -eq [Nullable`1]) { $t = $t.GetGenericArguments()[0] }
    $w = $Written -replace '^System\.', ''
    $names = @($t.Name, $t.FullName, ($t.FullName -replace '^System\.', ''))
    if ($t -eq [System.Management.Automation.PSObject]) { $names += 'PSObject' }
    $w -in $names
}

# $Command: @{ Name; Parameters (ParameterMetadata, without the common ones and WhatIf/Confirm);
# SetNames; DefaultSet; SupportsShouldProcess }, from an imported command or from the assembly.
function Get-CommandShape([object] $Info) {
    if ($Info -is [System.Management.Automation.CommandInfo]) {
        [pscustomobject]@{
            Name = $Info.Name; DefaultSet = $Info.DefaultParameterSet
            Parameters = @($Info.Parameters.Values | Where-Object { -not $script:CommonNames.Contains($_.Name) -and $_.Name -notin 'WhatIf', 'Confirm' })
            SetNames = @($Info.ParameterSets | ForEach-Object Name)
            SupportsShouldProcess = $Info.Parameters.ContainsKey('WhatIf')
        }
    }
    else {
        # System.Management.Automation.CommandMetadata of a cmdlet class (own parameters only)
        $params = @($Info.Parameters.Values | Where-Object { $_.Name -notin 'WhatIf', 'Confirm' })
        [pscustomobject]@{
            Name = $Info.Name; DefaultSet = $Info.DefaultParameterSetName; Parameters = $params
            SetNames = @($params | ForEach-Object { $_.ParameterSets.Keys } | Sort-Object -Unique)
            SupportsShouldProcess = $Info.SupportsShouldProcess
        }
    }
}

function Compare-PageWithCommand([object] $Page, [object] $Command) {
    $problems = [System.Collections.Generic.List[string]]::new()
    $cmdParams = $Command.Parameters
    $realSets = @($Command.SetNames | Where-Object { $_ -ne '__AllParameterSets' })
    foreach ($sp in 'WhatIf', 'Confirm') {
        $described = [bool]($Page.Parameters | Where-Object Name -eq $sp)
        if ($Command.SupportsShouldProcess -and -not $described) { $problems.Add("-$sp is not described (the cmdlet supports ShouldProcess)") }
        if (-not $Command.SupportsShouldProcess -and $described) { $problems.Add("the page describes -$sp, but the cmdlet does not support ShouldProcess") }
    }
    if ($realSets.Count -gt 1 -or $Page.Sets.Count -gt 1) {
        foreach ($s in $realSets) { if ($s -notin @($Page.Sets | ForEach-Object Name)) { $problems.Add("the cmdlet has parameter set '$s', the page does not") } }
        foreach ($s in $Page.Sets) { if ($s.Name -notin $realSets) { $problems.Add("the page declares parameter set '$($s.Name)', the cmdlet has none of that name") } }
        $def = $Command.DefaultSet
        $pageDef = @($Page.Sets | Where-Object Default | ForEach-Object Name)
        if ($def -and $pageDef -and $def -ne $pageDef[0]) { $problems.Add("the default parameter set is '$def', the page marks '$($pageDef[0])'") }
    }
    foreach ($cp in $cmdParams) {
        $pp = $Page.Parameters | Where-Object Name -eq $cp.Name
        if (-not $pp) { $problems.Add("-$($cp.Name) is not described"); continue }
        if (-not (Test-TypeMatch $cp.ParameterType $pp.Primary.Type)) { $problems.Add("-$($cp.Name): Type is $($cp.ParameterType.Name), the page says $($pp.Primary.Type)") }
        $aliases = @($cp.Aliases | Sort-Object); $pageAliases = @($pp.Primary.Aliases | Sort-Object)
        if (($aliases -join ',') -ne ($pageAliases -join ',')) { $problems.Add("-$($cp.Name): Aliases are '$($aliases -join ', ')', the page says '$($pageAliases -join ', ')'") }
        $validate = @($cp.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues)
        $inner = $cp.ParameterType; if ($inner.IsGenericType -and $inner.GetGenericTypeDefinition() -eq [Nullable`1]) { $inner = $inner.GetGenericArguments()[0] }
        if (-not $validate.Count -and $inner.IsEnum) { $validate = [enum]::GetNames($inner) }
        if (($validate -join ',') -ne ($pp.Primary.AcceptedValues -join ',')) { $problems.Add("-$($cp.Name): accepted values are '$($validate -join ', ')', the page says '$($pp.Primary.AcceptedValues -join ', ')'") }
        foreach ($kv in $cp.ParameterSets.GetEnumerator()) {
            $setNames = if ($kv.Key -eq '__AllParameterSets') { @($Page.Sets | ForEach-Object Name) } elseif ($realSets.Count -le 1 -and $Page.Sets.Count -eq 1) { @($Page.Sets[0].Name) } else { @($kv.Key) }
            foreach ($sn in $setNames) {
                if (-not $pp.BySet.Contains($sn)) { $problems.Add("-$($cp.Name) belongs to set '$sn', the page does not say so"); continue }
                $v = $pp.BySet[$sn]; $m = $kv.Value
                if ($m.IsMandatory -ne $v.Required) { $problems.Add("-$($cp.Name) [$sn]: Required is $($m.IsMandatory), the page says $($v.Required)") }
                $pos = if ($m.Position -lt 0) { 'Named' } else { [string]$m.Position }
                if ($pos -ne $v.Position) { $problems.Add("-$($cp.Name) [$sn]: Position is $pos, the page says $($v.Position)") }
                $pipe = @(if ($m.ValueFromPipeline) { 'ByValue' }; if ($m.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
                $pipeText = if ($pipe.Count) { "True ($($pipe -join ', '))" } else { 'False' }
                if ($pipeText -ne $v.Pipeline) { $problems.Add("-$($cp.Name) [$sn]: Accept pipeline input is $pipeText, the page says $($v.Pipeline)") }
            }
        }
        foreach ($sn in @($pp.BySet.Keys)) {
            $inSet = $cp.ParameterSets.ContainsKey('__AllParameterSets') -or $cp.ParameterSets.ContainsKey($sn) -or ($realSets.Count -le 1 -and $Page.Sets.Count -eq 1)
            if (-not $inSet) { $problems.Add("-$($cp.Name): the page puts it in set '$sn', the cmdlet does not") }
        }
    }
    foreach ($pp in $Page.Parameters | Where-Object Name -notin 'WhatIf', 'Confirm') {
        if (-not ($cmdParams | Where-Object Name -eq $pp.Name)) { $problems.Add("the page describes -$($pp.Name), the cmdlet has no such parameter") }
    }
    $problems
}

if ($ModulePath) {
    if ($ModulePath -like '*.dll') {
        # The cmdlet assembly itself: read the cmdlet classes without importing (no native library needed).
        $assembly = [System.Reflection.Assembly]::LoadFrom((Resolve-Path -LiteralPath $ModulePath).ProviderPath)
        $module = [pscustomobject]@{ Name = $assembly.GetName().Name }
        $commands = @($assembly.GetExportedTypes() |
                Where-Object { -not $_.IsAbstract -and $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true) } |
                ForEach-Object { Get-CommandShape ([System.Management.Automation.CommandMetadata]::new($_)) })
    }
    else {
        $module = Import-Module $ModulePath -PassThru -Force -ErrorAction Stop
        $commands = @(Get-Command -Module $module.Name -CommandType Cmdlet, Function | ForEach-Object { Get-CommandShape $_ })
    }
    $all = [System.Collections.Generic.List[string]]::new()
    foreach ($c in $commands) {
        $page = $pages | Where-Object Name -eq $c.Name
        if (-not $page) { $all.Add("$($c.Name): the module exports it but there is no $($c.Name).md"); continue }
        foreach ($p in Compare-PageWithCommand $page $c) { $all.Add("$($page.File): $p") }
    }
    foreach ($page in $pages) {
        if (-not ($commands | Where-Object Name -eq $page.Name)) { $all.Add("$($page.File): the module '$($module.Name)' has no command $($page.Name)") }
    }
    if ($all.Count) { throw "The help pages disagree with the module $($module.Name):`n  " + ($all -join "`n  ") }
    Write-Verbose "The help pages agree with the $($commands.Count) commands of $($module.Name)"
}

$outFull = [System.IO.Path]::GetFullPath($OutputPath, (Get-Location).ProviderPath)
$outDir = [System.IO.Path]::GetDirectoryName($outFull)
if (-not (Test-Path -LiteralPath $outDir)) { $null = New-Item -ItemType Directory -Path $outDir -Force }

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.IndentChars = '  '
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$settings.NewLineHandling = [System.Xml.NewLineHandling]::None
$settings.CheckCharacters = $true
$tmp = "$outFull.tmp"
$writer = [System.Xml.XmlWriter]::Create($tmp, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($page in $pages) { Write-Command $writer $page }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally { $writer.Dispose() }

# Read it back: well-formed, one command per page.
$doc = [System.Xml.XmlDocument]::new()
$doc.Load($tmp)
$nsm = [System.Xml.XmlNamespaceManager]::new($doc.NameTable)
$nsm.AddNamespace('command', $script:NsCommand)
$count = $doc.SelectNodes('//command:command', $nsm).Count
if ($count -ne @($pages).Count) { throw "Internal error: wrote $count commands for $(@($pages).Count) pages" }
Move-Item -LiteralPath $tmp -Destination $outFull -Force
Write-Verbose "Wrote $count commands to $outFull"
