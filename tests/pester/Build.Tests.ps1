# build.ps1 for a newcomer (issue 15): it checks the toolchain it really needs and says what to
# install; it says what it is building while cargo works; MSBuild's banner, summary and colour
# codes stay out of a redirected log.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:Esc = [char]27
    $script:RequiredRust = ((Get-Content (Join-Path $script:Root 'Cargo.toml') -Raw) -replace '(?s)^.*?\nrust-version\s*=\s*"([^"]+)".*$', '$1')

    # Runs build.ps1 in a fresh pwsh with PATH = $Bin (fake tools) plus the real ones it
    # links to; returns its combined, redirected output and exit code.
    function Invoke-BuildScript([string] $Bin, [string[]] $Arguments) {
        $saved = $env:PATH
        try {
            $env:PATH = $Bin
            $output = & $script:Pwsh -NoProfile -NonInteractive -File (Join-Path $script:Root 'build.ps1') @Arguments 2>&1 | Out-String
            [pscustomobject]@{ Output = $output; ExitCode = $LASTEXITCODE }
        }
        finally { $env:PATH = $saved }
    }

    # A folder of tools for PATH: links to the real ones named, and scripts for the fakes.
    function New-ToolFolder([string[]] $Real, [hashtable] $Fake = @{}) {
        $bin = New-TestScratch
        foreach ($name in $Real) {
            $target = (Get-Command $name -CommandType Application | Select-Object -First 1).Source
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path $bin $name) -Target $target
        }
        foreach ($name in $Fake.Keys) {
            $path = Join-Path $bin $name
            Set-Content $path "#!/bin/sh`n$($Fake[$name])"
            & chmod +x $path
        }
        $bin
    }
}

Describe 'Toolchain checks' {
    BeforeAll {
        # The pwsh apphost finds its runtime through DOTNET_ROOT when PATH has no real dotnet.
        $dotnet = Get-Item (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
        $env:DOTNET_ROOT = Split-Path ($dotnet.ResolvedTarget ?? $dotnet.FullName) -Parent
    }

    It 'names the Rust version Cargo.toml needs and the command that updates it' {
        $bin = New-ToolFolder -Real cargo, dotnet, sh, id -Fake @{ rustc = 'echo "rustc 1.63.0 (4b91a6ea7 2022-08-08)"' }
        try {
            $run = Invoke-BuildScript $bin 'Lint'
            $run.ExitCode | Should -Not -Be 0
            $run.Output | Should -Match ([regex]::Escape("build.ps1: Rust $($script:RequiredRust) or later is needed (Cargo.toml's rust-version); this is rustc 1.63.0. Update it with: rustup update stable"))
            $run.Output | Should -Not -Match $script:Esc -Because 'a redirected log has no colour codes'
        }
        finally { Remove-Item $bin -Recurse -Force }
    }

    It 'names the .NET 10 runtime that PowerShell 7.6.9 needs' {
        $dotnet = 'case "$1" in --list-sdks) echo "8.0.404 [/usr/share/dotnet/sdk]";; --list-runtimes) echo "Microsoft.NETCore.App 8.0.11 [/usr/share/dotnet/shared/Microsoft.NETCore.App]";; esac'
        $bin = New-ToolFolder -Real cargo, rustc, sh, id -Fake @{ dotnet = $dotnet }
        try {
            $run = Invoke-BuildScript $bin 'Lint'
            $run.ExitCode | Should -Not -Be 0
            $run.Output | Should -Match 'PowerShell 7\.6\.9 .* needs the \.NET 10 runtime; found: 8\.0\.11\. Install the \.NET SDK 10'
            $run.Output | Should -Not -Match 'SDK 8 or later is needed' -Because 'an SDK 8 builds the module'
        }
        finally { Remove-Item $bin -Recurse -Force }
    }

    It 'finds nothing to say about this machine''s toolchain' {
        $Root = $script:Root
        . (Join-Path $script:Root 'tools/BuildSupport.ps1')
        @(Get-ToolchainProblem) | Should -BeNullOrEmpty
        Get-RequiredRustVersion | Should -Be $script:RequiredRust
    }

    It 'matches what the README says is required' {
        $readme = Get-Content (Join-Path $script:Root 'README.md') -Raw
        $readme | Should -Match ([regex]::Escape("Rust $($script:RequiredRust) or later"))
        $readme | Should -Match '\.NET 10\s+runtime'
        $readme | Should -Not -Match 'SDK \(8 or later\)'
    }
}

Describe 'Build output' {
    BeforeAll {
        $Root = $script:Root
        $OutDir = Join-Path $script:Root 'out'
        . (Join-Path $script:Root 'tools/BuildSupport.ps1')
    }

    It 'keeps MSBuild''s banner, summary and colour codes out of a redirected log' {
        $out = New-TestScratch
        try {
            $text = Invoke-DotnetBuild -OutputPath $out *>&1 | Out-String
            Test-Path (Join-Path $out 'MeetingMigration.PowerShell.dll') | Should -BeTrue
            $text | Should -Not -Match 'Microsoft \(R\)|Build succeeded|Warning\(s\)|Time Elapsed'
            $text | Should -Not -Match $script:Esc
            $text.Trim() | Should -Be 'Building the PowerShell module (the C# cmdlets, dotnet msbuild).'
        }
        finally { Remove-Item $out -Recurse -Force }
    }

    It 'says what cargo is building, then shows cargo''s own progress' {
        Push-Location $script:Root
        try {
            Initialize-Toolchain -CrateSource Auto
            $text = Invoke-CargoBuild *>&1 | Out-String
        }
        finally { Pop-Location }
        $text | Should -Match 'Building the Rust library and mms-worker \(cargo build --release\): the first build compiles every dependency and takes a minute or more'
        $text | Should -Match 'Finished .release. profile' -Because 'cargo is not silenced'
    }
}
