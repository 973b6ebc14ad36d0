# Functions behind build.ps1's tasks. Dot-sourced; $Root, $OutDir and $ModuleDir come from build.ps1.

# Debian packages the build needs: the crates Cargo.toml names (at the versions Debian 12
# packages), the system SQLite that rusqlite links, and cbindgen for the header.
$script:DebianPackages = @(
    'librust-rusqlite-dev', 'librust-serde-dev', 'librust-serde-derive-dev', 'librust-serde-json-dev',
    'librust-uuid-dev', 'librust-libc-dev', 'librust-chrono-dev',
    'librust-csv-dev', 'librust-signal-hook-dev', 'librust-criterion-dev', 'librust-proptest-dev',
    'librust-tempfile-dev', 'libsqlite3-dev', 'sqlite3', 'cbindgen', 'valgrind', 'gcc'
)
$script:DebianRegistry = '/usr/share/cargo/registry'
$script:CargoSourceArgs = @()

function Assert-Command([string] $Name, [string] $Install) {
    if (-not (Get-Command $Name -ErrorAction Ignore)) {
        throw "'$Name' was not found. Install it with: $Install"
    }
}

function Install-DebianPackages {
    if (-not (Get-Command dpkg-query -ErrorAction Ignore)) { return }
    # One query for all packages; unknown ones print nothing and are missing.
    $installed = & dpkg-query -W -f '${Package} ${Status}\n' @script:DebianPackages 2>$null |
        Where-Object { $_ -match ' install ok installed$' } | ForEach-Object { ($_ -split ' ')[0] -replace ':.*$' }
    $missing = @($script:DebianPackages | Where-Object { $_ -notin $installed })
    if ($missing.Count -eq 0) { return }
    $command = "apt-get update && apt-get install -y $($missing -join ' ')"
    if ((& id -u) -ne '0') { throw "Missing Debian packages: $($missing -join ', '). Install them with: sudo $command" }
    Write-Host "Installing Debian packages: $($missing -join ' ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get update failed (exit $LASTEXITCODE)" }
    & apt-get install -y -qq @missing | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get install $($missing -join ' ') failed (exit $LASTEXITCODE)" }
}

# What the build really needs, checked before any work with a message that says what to install.
# Rust: the rust-version Cargo.toml declares (cargo enforces it too, with a less clear message).
# .NET: an SDK that builds the net8.0 module (8 or later), and the .NET 10 runtime that the
# pinned PowerShell 7.6.9 tool (dotnet-tools.json) runs on: build.ps1 runs the help converter
# and the Pester suites in it. The .NET SDK 10 brings both.
$script:DotnetRuntimeMajor = 10
$script:DotnetSdkMajor = 8

# The version a `--version` line shows ('rustc 1.95.0 (abc 2026-01-01)' -> 1.95.0), or $null.
function Get-VersionFromText([string] $Text) {
    if ($Text -match '(\d+)\.(\d+)(?:\.(\d+))?') { [version]::new([int]$Matches[1], [int]$Matches[2], [int]($Matches[3] ?? 0)) }
}

# The rust-version of Cargo.toml as written there, e.g. '1.66'.
function Get-RequiredRustVersion {
    $toml = Get-Content (Join-Path $Root 'Cargo.toml') -Raw
    if ($toml -notmatch '(?m)^\s*rust-version\s*=\s*"([^"]+)"') { throw 'Cargo.toml has no rust-version.' }
    $Matches[1]
}

# Problems with the toolchain, as messages that say what to do (none: nothing printed). The
# versions found are parameters so the messages can be tested without another toolchain.
function Get-ToolchainProblem {
    param(
        [string] $RustcVersionText = $(if (Get-Command rustc -ErrorAction Ignore) { & rustc --version 2>$null }),
        [string[]] $DotnetSdks = @(& dotnet --list-sdks 2>$null),
        [string[]] $DotnetRuntimes = @(& dotnet --list-runtimes 2>$null)
    )
    $required = Get-RequiredRustVersion
    $rustc = Get-VersionFromText $RustcVersionText
    if (-not $rustc) {
        "rustc was not found or did not print its version. Install Rust $required or later with rustup (https://rustup.rs), then: rustup component add rustfmt clippy"
    }
    elseif ($rustc -lt (Get-VersionFromText $required)) {
        "Rust $required or later is needed (Cargo.toml's rust-version); this is rustc $rustc. Update it with: rustup update stable"
    }
    $sdks = @($DotnetSdks | ForEach-Object { Get-VersionFromText $_ } | Where-Object { $_ })
    if (-not ($sdks | Where-Object Major -GE $script:DotnetSdkMajor)) {
        "A .NET SDK $($script:DotnetSdkMajor) or later is needed to build the module; found: $(if ($sdks) { $sdks -join ', ' } else { 'none' }). Install the .NET SDK $($script:DotnetRuntimeMajor) (apt-get install dotnet-sdk-$($script:DotnetRuntimeMajor).0, or Microsoft's dotnet-install script)."
    }
    $runtimes = @($DotnetRuntimes | Where-Object { $_ -match '^Microsoft\.NETCore\.App (\S+)' } | ForEach-Object { Get-VersionFromText $Matches[1] })
    if (-not ($runtimes | Where-Object Major -EQ $script:DotnetRuntimeMajor)) {
        "PowerShell 7.6.9 (the .NET local tool in dotnet-tools.json that runs build.ps1's help converter and tests) needs the .NET $($script:DotnetRuntimeMajor) runtime; found: $(if ($runtimes) { $runtimes -join ', ' } else { 'none' }). Install the .NET SDK $($script:DotnetRuntimeMajor) (apt-get install dotnet-sdk-$($script:DotnetRuntimeMajor).0, or Microsoft's dotnet-install script), which includes it."
    }
}

function Initialize-Toolchain([string] $CrateSource) {
    # rustup installs into ~/.cargo/bin, which a bare environment may not have on PATH.
    $cargoBin = Join-Path $HOME '.cargo/bin'
    if (-not (Get-Command cargo -ErrorAction Ignore) -and (Test-Path (Join-Path $cargoBin 'cargo'))) {
        $env:PATH = "$cargoBin$([IO.Path]::PathSeparator)$env:PATH"
    }
    Assert-Command cargo 'rustup (https://rustup.rs), then: rustup component add rustfmt clippy'
    Assert-Command dotnet "the .NET SDK $($script:DotnetRuntimeMajor) (apt-get install dotnet-sdk-$($script:DotnetRuntimeMajor).0, or Microsoft's dotnet-install script)"
    $problems = @(Get-ToolchainProblem)
    if ($problems) { throw ($problems -join "`n") }

    $useDebian = switch ($CrateSource) {
        'Debian' { $true }
        'CratesIo' { $false }
        default { $IsLinux -and (Get-Command apt-get -ErrorAction Ignore) }
    }
    if ($useDebian) {
        Install-DebianPackages
        $script:CargoSourceArgs = @(
            '--config', 'source.crates-io.replace-with="debian"',
            '--config', "source.debian.directory=`"$script:DebianRegistry`"")
    }
    # Test dependencies from NuGet (Pester). Cheap when already restored.
    Invoke-Native dotnet restore (Join-Path $Root 'tools/TestDependencies.proj') --verbosity quiet '-tl:off' '-clp:NoSummary'
}

# Simple functions (not advanced) on purpose: arguments such as -D reach the native command
# untouched instead of being taken for PowerShell parameters (callers still quote '--',
# which PowerShell otherwise consumes).
function Invoke-Native {
    $command = $args[0]
    $arguments = @($args | Select-Object -Skip 1)
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "'$command $($arguments -join ' ')' failed with exit code $LASTEXITCODE" }
}

function Invoke-Cargo {
    # The source replacement goes right after the subcommand.
    $sub = $args[0]
    $rest = @($args | Select-Object -Skip 1)
    Invoke-Native cargo $sub @script:CargoSourceArgs @rest
}

function Get-NativeLibraryName {
    if ($IsWindows) { 'meeting_migration.dll' } elseif ($IsMacOS) { 'libmeeting_migration.dylib' } else { 'libmeeting_migration.so' }
}

function Get-RuntimeFolder {
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $arch = [Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
    "$os-$arch"
}

# The Rust library and mms-worker. Says what is being built first: a first build compiles every
# crate and takes a minute or more; cargo's own progress follows (its "Compiling" lines on a
# redirected output, a progress bar on a terminal).
function Invoke-CargoBuild {
    Write-Host 'Building the Rust library and mms-worker (cargo build --release): the first build compiles every dependency and takes a minute or more; later builds redo only what changed.'
    Invoke-Cargo build --release
}

# The C# cmdlet assembly into $OutputPath. Quiet: no MSBuild banner or summary, and no terminal
# logger, whose progress and colour escape codes would end up in a redirected log; warnings and
# errors still show.
function Invoke-DotnetBuild([string] $OutputPath) {
    Write-Host 'Building the PowerShell module (the C# cmdlets, dotnet msbuild).'
    $env:DOTNET_NOLOGO = '1'
    $env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
    $logger = if ([Console]::IsOutputRedirected) { 'NoSummary;DisableConsoleColor' } else { 'NoSummary' }
    # `dotnet msbuild -restore` rather than `dotnet build`, which prints its summary whatever -clp says.
    Invoke-Native dotnet msbuild (Join-Path $Root 'powershell/MeetingMigration.PowerShell.csproj') -restore -nologo '-v:q' '-tl:off' "-clp:$logger" `
        '-p:Configuration=Release' "-p:OutDir=$([IO.Path]::TrimEndingDirectorySeparator($OutputPath))/"
}

function Invoke-BuildTask {
    Push-Location $Root
    try {
        Invoke-CargoBuild
        Invoke-DotnetBuild -OutputPath (Join-Path $OutDir 'powershell-build')

        if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
        $native = Join-Path $ModuleDir "bin/$(Get-RuntimeFolder)"
        New-Item -ItemType Directory -Force $native, (Join-Path $ModuleDir 'en-US') | Out-Null
        Copy-Item (Join-Path $OutDir 'powershell-build/MeetingMigration.PowerShell.dll') $ModuleDir
        Copy-Item (Join-Path $Root 'powershell/module/*') $ModuleDir -Recurse -Force
        Copy-Item (Join-Path $Root "target/release/$(Get-NativeLibraryName)") $native
        # A separate pwsh, so this process never loads the cmdlet assembly; -ModulePath
        # checks the help pages against the compiled cmdlets' parameters.
        Invoke-Native dotnet pwsh -NoProfile -File (Join-Path $Root 'tools/ConvertTo-MamlHelp.ps1') `
            -SourcePath (Join-Path $Root 'powershell/help') `
            -OutputPath (Join-Path $ModuleDir 'en-US/MeetingMigration.PowerShell.dll-Help.xml') `
            -ModulePath (Join-Path $ModuleDir 'MeetingMigration.PowerShell.dll')
        Write-Host "Module staged in $ModuleDir (Import-Module $ModuleDir)"
    }
    finally { Pop-Location }
}

function Invoke-HeaderTask {
    Assert-Command cbindgen 'apt-get install cbindgen'
    Push-Location $Root
    # Parsing src/lib.rs directly: --crate would run cargo metadata, which needs the source replacement.
    try { Invoke-Native cbindgen --config cbindgen.toml --output include/meeting_migration.h --quiet src/lib.rs }
    finally { Pop-Location }
}

function Invoke-LintTask {
    Push-Location $Root
    try {
        foreach ($component in 'fmt', 'clippy') {
            & cargo $component --version *> $null
            if ($LASTEXITCODE -ne 0) {
                $name = @{ fmt = 'rustfmt'; clippy = 'clippy' }[$component]
                throw "cargo $component is not installed (Lint and Test need it). Install it with: rustup component add $name"
            }
        }
        # rustfmt colours its diff whenever TERM is set, even into a file: not in a redirected log.
        $color = if ([Console]::IsOutputRedirected) { 'never' } else { 'auto' }
        Invoke-Native cargo fmt --all '--' --check --color $color
        Invoke-Cargo clippy --all-targets --quiet '--' -D warnings
    }
    finally { Pop-Location }
}

function Invoke-TestTask {
    Invoke-LintTask
    Push-Location $Root
    try {
        # cargo prints one 'test result:' summary per test binary. The tests build the library
        # with its test-only feature; Build then builds it as shipped, so the Pester suites use
        # (and find up to date) the library a release has.
        Invoke-Cargo test --release
        Invoke-BuildTask
        Invoke-Native dotnet pwsh -NoProfile -File (Join-Path $Root 'tools/Invoke-PesterSuite.ps1') -ModulePath $ModuleDir
    }
    finally { Pop-Location }
}

function Invoke-BenchTask {
    Invoke-BuildTask
    Push-Location $Root
    try {
        Invoke-Cargo bench
        Invoke-Native dotnet pwsh -NoProfile -File (Join-Path $Root 'benches/StartMigration.Bench.ps1') -ModulePath $ModuleDir
    }
    finally { Pop-Location }
}

function Invoke-DemoTask {
    Invoke-BuildTask
    Invoke-Native dotnet pwsh -NoProfile -File (Join-Path $Root 'tools/Demo.ps1') -ModulePath $ModuleDir
}
