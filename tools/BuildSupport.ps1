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

function Initialize-Toolchain([string] $CrateSource) {
    # rustup installs into ~/.cargo/bin, which a bare environment may not have on PATH.
    $cargoBin = Join-Path $HOME '.cargo/bin'
    if (-not (Get-Command cargo -ErrorAction Ignore) -and (Test-Path (Join-Path $cargoBin 'cargo'))) {
        $env:PATH = "$cargoBin$([IO.Path]::PathSeparator)$env:PATH"
    }
    Assert-Command cargo 'rustup (https://rustup.rs), then: rustup component add rustfmt clippy'
    Assert-Command dotnet 'the .NET SDK 8 or later (apt-get install dotnet-sdk-8.0, or Microsoft''s install script)'

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
    Invoke-Native dotnet restore (Join-Path $Root 'tools/TestDependencies.proj') --verbosity quiet
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

function Invoke-BuildTask {
    Push-Location $Root
    try {
        Invoke-Cargo build --release --quiet
        Invoke-Native dotnet build (Join-Path $Root 'powershell/MeetingMigration.PowerShell.csproj') -c Release --nologo -v quiet -o (Join-Path $OutDir 'powershell-build')

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
        Invoke-Native cargo fmt --all '--' --check
        Invoke-Cargo clippy --all-targets --quiet '--' -D warnings
    }
    finally { Pop-Location }
}

function Invoke-TestTask {
    Invoke-LintTask
    Invoke-BuildTask
    Push-Location $Root
    try {
        # cargo prints one 'test result:' summary per test binary.
        Invoke-Cargo test --release
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
