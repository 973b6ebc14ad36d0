# Functions behind build.ps1's tasks. Dot-sourced; $Root, $OutDir and $ModuleDir come from build.ps1.

# Debian packages the build needs: the crates Cargo.toml names (at the versions Debian 12
# packages), the system SQLite that rusqlite links, and cbindgen for the header.
$script:DebianPackages = @(
    'librust-rusqlite-dev', 'librust-serde-dev', 'librust-serde-derive-dev', 'librust-serde-json-dev',
    'librust-uuid-dev', 'librust-libc-dev', 'librust-chrono-dev',
    'librust-csv-dev', 'librust-signal-hook-dev', 'librust-criterion-dev', 'librust-proptest-dev',
    'librust-tempfile-dev', 'librust-tokio-dev', 'librust-tokio-postgres-dev', 'libsqlite3-dev', 'sqlite3', 'cbindgen', 'valgrind', 'gcc'
)
# Only the Fuzz task needs these: clang links libFuzzer's runtime into the fuzz targets.
$script:FuzzDebianPackages = @('clang', 'libclang-rt-14-dev')
$script:DebianRegistry = '/usr/share/cargo/registry'
$script:CargoSourceArgs = @()

function Assert-Command([string] $Name, [string] $Install) {
    if (-not (Get-Command $Name -ErrorAction Ignore)) {
        throw "'$Name' was not found. Install it with: $Install"
    }
}

function Install-DebianPackages([string[]] $Packages = $script:DebianPackages) {
    if (-not (Get-Command dpkg-query -ErrorAction Ignore)) { return }
    # One query for all packages; unknown ones print nothing and are missing.
    $installed = & dpkg-query -W -f '${Package} ${Status}\n' @Packages 2>$null |
        Where-Object { $_ -match ' install ok installed$' } | ForEach-Object { ($_ -split ' ')[0] -replace ':.*$' }
    $missing = @($Packages | Where-Object { $_ -notin $installed })
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
        # The fuzz crate is its own workspace; its formatting is checked too (it builds only in Fuzz).
        Invoke-Native cargo fmt --manifest-path fuzz/Cargo.toml '--' --check --color $color
        Invoke-Cargo clippy --all-targets --quiet '--' -D warnings
    }
    finally { Pop-Location }
}

# The Pester suites that matter for a store shared between hosts: run a second time with
# MEETING_MIGRATION_STORE at a PostgreSQL database (see tests/pester/TestSupport.ps1).
$script:SharedStoreSuites = @(
    'StartCsExMeetingMigration.Tests.ps1', 'GetCsMeetingMigrationStatus.Tests.ps1', 'Jobs.Tests.ps1',
    'Settings.Tests.ps1', 'MmsCommands.Tests.ps1', 'SharedQueue.Tests.ps1', 'Rehearsal.Tests.ps1')

# The folder of PostgreSQL's server programs (15 preferred), or $null.
function Find-PostgresBin {
    $candidates = @('/usr/lib/postgresql/15/bin') + @(Get-ChildItem /usr/lib/postgresql -Directory -ErrorAction Ignore |
        Sort-Object Name -Descending | ForEach-Object { Join-Path $_.FullName 'bin' })
    $candidates | Where-Object { Test-Path (Join-Path $_ 'initdb') } | Select-Object -First 1
}

# PostgreSQL 15's server programs, installed from Debian when missing.
function Install-Postgres {
    if (-not (Find-PostgresBin) -and $IsLinux -and (Get-Command apt-get -ErrorAction Ignore)) {
        Install-DebianPackages -Packages @('postgresql-15')
    }
    $bin = Find-PostgresBin
    if (-not $bin) { throw 'PostgreSQL server programs (initdb, pg_ctl) were not found. Install them with: apt-get install postgresql-15' }
    $bin
}

# Runs a PostgreSQL program, as the postgres user when root (PostgreSQL refuses to run as root).
function Invoke-AsPostgres([string] $Program, [string[]] $Arguments) {
    if ((& id -u) -eq '0') { $output = & runuser -u postgres -- $Program @Arguments 2>&1 }
    else { $output = & $Program @Arguments 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "$Program $($Arguments -join ' ') failed (exit $LASTEXITCODE): $output" }
}

# A throwaway PostgreSQL cluster: initdb into a new temporary folder, a free loopback port, trust
# for local connections only. Returns what Stop-TestPostgres needs and the superuser's base URI.
function Start-TestPostgres {
    $bin = Install-Postgres
    $dir = Join-Path ([IO.Path]::GetTempPath()) "mms-ci-pg-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory $dir
    if ((& id -u) -eq '0') { Invoke-Native chown postgres:postgres $dir }
    $data = Join-Path $dir 'data'
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    Invoke-AsPostgres (Join-Path $bin 'initdb') @('-D', $data, '-U', 'postgres', '--auth=trust', '--locale=C.UTF-8', '-E', 'UTF8', '--no-sync')
    # As tests/support/postgres.rs's clusters: the cargo tests' login role must give a password.
    Set-Content (Join-Path $data 'pg_hba.conf') "local all all trust`nhost all mms_pw 127.0.0.1/32 scram-sha-256`nhost all all 127.0.0.1/32 trust"
    $options = "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c max_connections=200"
    Invoke-AsPostgres (Join-Path $bin 'pg_ctl') @('-D', $data, '-l', (Join-Path $dir 'server.log'), '-o', $options, '-w', '-t', '60', 'start')
    Write-Host "PostgreSQL $(& (Join-Path $bin 'postgres') --version) started for the tests on 127.0.0.1:$port ($dir)."
    [pscustomobject]@{ Bin = $bin; Dir = $dir; Data = $data; Base = "postgresql://postgres@127.0.0.1:$port" }
}

function Stop-TestPostgres($Cluster) {
    if (-not $Cluster) { return }
    try { Invoke-AsPostgres (Join-Path $Cluster.Bin 'pg_ctl') @('-D', $Cluster.Data, '-m', 'immediate', '-w', 'stop') }
    catch { Write-Warning "Stopping the test PostgreSQL failed: $_" }
    Remove-Item $Cluster.Dir -Recurse -Force -ErrorAction SilentlyContinue
    Write-Host 'PostgreSQL for the tests stopped and removed.'
}

function Invoke-TestTask {
    Invoke-LintTask
    Push-Location $Root
    $cluster = $null
    $saved = @{ Require = $env:MMS_REQUIRE_POSTGRES; Server = $env:MMS_TEST_POSTGRES; Pester = $env:MMS_PESTER_POSTGRES; Bin = $env:MMS_PESTER_POSTGRES_BIN }
    try {
        # The PostgreSQL tests must run here, not skip: the server programs are installed first.
        $null = Install-Postgres
        $env:MMS_REQUIRE_POSTGRES = '1'
        # One throwaway cluster for every test binary (each test in a database of its own; the
        # restart test starts a cluster of its own) and for the Pester suites.
        $cluster = Start-TestPostgres
        $env:MMS_TEST_POSTGRES = $cluster.Base
        # cargo prints one 'test result:' summary per test binary. The tests build the library
        # with its test-only feature; Build then builds it as shipped, so the Pester suites use
        # (and find up to date) the library a release has.
        Invoke-Cargo test --release
        Invoke-BuildTask
        Write-Host 'Pester suites on the embedded SQLite store:'
        Invoke-Native dotnet pwsh -NoProfile -File (Join-Path $Root 'tools/Invoke-PesterSuite.ps1') -ModulePath $ModuleDir
        $env:MMS_PESTER_POSTGRES = $cluster.Base
        $env:MMS_PESTER_POSTGRES_BIN = $cluster.Bin
        $suites = $script:SharedStoreSuites | ForEach-Object { Join-Path $Root "tests/pester/$_" }
        Write-Host "Pester suites of a shared store again, each on a PostgreSQL database: $($script:SharedStoreSuites -join ', ')"
        # Called directly (it starts its own fresh pwsh): -Path keeps its list of files.
        & (Join-Path $Root 'tools/Invoke-PesterSuite.ps1') -ModulePath $ModuleDir -Path $suites
        if ($LASTEXITCODE -ne 0) { throw "The Pester suites on PostgreSQL failed (exit $LASTEXITCODE)." }
    }
    finally {
        Stop-TestPostgres $cluster
        $env:MMS_REQUIRE_POSTGRES = $saved.Require
        $env:MMS_TEST_POSTGRES = $saved.Server
        $env:MMS_PESTER_POSTGRES = $saved.Pester
        $env:MMS_PESTER_POSTGRES_BIN = $saved.Bin
        Pop-Location
    }
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

# Fuzzing: the fuzz/ crate (its own workspace, never part of the root build) is a staticlib
# exporting LLVMFuzzerTestOneInput, built with sanitizer coverage on stable Rust and linked
# by clang -fsanitize=fuzzer into one mms-fuzz-<target> binary per target. Each target runs
# alone (one core) within its budget; new inputs go to out/fuzz/corpus/<target>, the
# committed seeds in fuzz/corpus/<target> are only read. A crash stops the task and names
# the input to add to tests/fuzz_regressions/<target>/ once fixed. On a shared machine:
# nice dotnet pwsh ./build.ps1 Fuzz.
function Invoke-FuzzTask([string[]] $Targets, [int] $Seconds, [long] $Runs) {
    if ($IsLinux -and (Get-Command apt-get -ErrorAction Ignore)) { Install-DebianPackages -Packages $script:FuzzDebianPackages }
    Assert-Command clang 'apt-get install clang libclang-rt-14-dev'
    $runtimeDir = (& clang --print-runtime-dir).Trim()
    if (-not (Get-ChildItem $runtimeDir -Filter 'libclang_rt.fuzzer-*.a' -ErrorAction Ignore)) {
        throw "clang has no libFuzzer runtime in $runtimeDir. Install it with: apt-get install libclang-rt-14-dev"
    }
    $triple = ((& rustc -vV) -match '^host: ' -replace '^host: ').Trim()
    $fuzzOut = Join-Path $OutDir 'fuzz'
    $binDir = Join-Path $fuzzOut 'bin'
    New-Item -ItemType Directory -Force $binDir | Out-Null

    $savedFlags = $env:RUSTFLAGS
    # --target keeps these flags off build scripts and proc macros, which run on the host.
    $env:RUSTFLAGS = @(
        '-C passes=sancov-module', '-C llvm-args=-sanitizer-coverage-level=4',
        '-C llvm-args=-sanitizer-coverage-inline-8bit-counters', '-C llvm-args=-sanitizer-coverage-pc-table',
        '-C llvm-args=-sanitizer-coverage-trace-compares') -join ' '
    Push-Location $Root
    try {
        Invoke-Cargo build --release --quiet --manifest-path fuzz/Cargo.toml --target $triple --target-dir (Join-Path $fuzzOut 'target')
    }
    finally {
        Pop-Location
        $env:RUSTFLAGS = $savedFlags
    }
    $lib = Join-Path $fuzzOut "target/$triple/release/libmeeting_migration_fuzz.a"

    $report = foreach ($t in $Targets) {
        $bin = Join-Path $binDir "mms-fuzz-$t"
        Invoke-Native clang -fsanitize=fuzzer $lib -lsqlite3 -lpthread -ldl -lm -o $bin
        $work = Join-Path $fuzzOut "corpus/$t"
        $artifacts = Join-Path $fuzzOut "artifacts/$t/"
        $store = Join-Path $fuzzOut "store-$t"
        New-Item -ItemType Directory -Force $work, $artifacts | Out-Null
        if (Test-Path $store) { Remove-Item $store -Recurse -Force }
        $log = Join-Path $fuzzOut "$t.log"
        # Inputs longer than these reach no new code: an identity over 4 KiB is refused whole,
        # and shorter inputs run several times faster under comparison tracing.
        $maxLen = @{ identity = 1024; filter = 2048; json = 4096; csv = 4096; abi = 1024 }[$t]
        $arguments = @($work, (Join-Path $Root "fuzz/corpus/$t"), "-max_total_time=$Seconds", '-timeout=10',
            "-max_len=$maxLen", '-print_final_stats=1', "-artifact_prefix=$artifacts")
        if ($Runs -gt 0) { $arguments += "-runs=$Runs" }
        Write-Host "Fuzzing $t (at most $Seconds s$(if ($Runs -gt 0) { ", $Runs runs" })); log: $log"
        $env:MMS_FUZZ_STORE_DIR = $store
        try {
            # One process, one core; on a shared machine run the task under nice.
            $process = Start-Process $bin -ArgumentList $arguments -NoNewWindow -Wait -PassThru `
                -RedirectStandardError $log -RedirectStandardOutput "$log.out"
        }
        finally { Remove-Item Env:MMS_FUZZ_STORE_DIR }
        $text = Get-Content $log -Raw
        $units = if ($text -match 'stat::number_of_executed_units:\s+(\d+)') { [long]$Matches[1] } else { 0 }
        $rate = if ($text -match 'stat::average_exec_per_sec:\s+(\d+)') { [long]$Matches[1] } else { 0 }
        $elapsed = if ($text -match 'Done \d+ runs in (\d+) second') { [int]$Matches[1] } else { $null }
        if ($process.ExitCode -ne 0) {
            $crash = if ($text -match "Test unit written to (\S+)") { $Matches[1] } else { '(see the log)' }
            throw "The $t target failed after $units executions: $crash. Fix it, then copy the input into tests/fuzz_regressions/$t/ (log: $log)."
        }
        [pscustomobject]@{ Target = $t; Executions = $units; ExecPerSecond = $rate; Seconds = $elapsed; Crashes = 0 }
    }
    $report | Format-Table -AutoSize | Out-String | Write-Host
}
