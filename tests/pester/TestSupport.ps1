# Shared by every *.Tests.ps1 of this folder (dot-sourced in BeforeAll): where the staged module
# is, a fresh temp store per test file, and a hash of the store taken from a separate process.

$script:MmsModulePath = if ($env:MMS_MODULE_PATH) { $env:MMS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/MeetingMigration' }
$script:SampleTenantId = [guid]'38aad667-af54-4397-aaa7-e94c79ec2308'
# A fresh pwsh of the same installation, for checks that must run in another process.
$script:Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')

# With $env:MMS_PESTER_POSTGRES (postgresql://superuser@127.0.0.1:port, set by build.ps1 Test for the
# second run of the shared-store suites) a store is a new database of that throwaway cluster instead of
# a file; $env:MMS_PESTER_POSTGRES_BIN names the folder of its client programs.
function Test-PostgresRun { [bool] $env:MMS_PESTER_POSTGRES }

# Runs one of PostgreSQL's client programs against the test cluster as its superuser.
function Invoke-PostgresTool {
    param([string] $Tool, [string[]] $Arguments)
    $server = [uri] $env:MMS_PESTER_POSTGRES
    $program = Join-Path $env:MMS_PESTER_POSTGRES_BIN $Tool
    $output = & $program -h $server.Host -p $server.Port -U $server.UserInfo @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$Tool $($Arguments -join ' ') failed: $output" }
    $output
}

# Runs SQL on the store behind the API's back, in another process (sqlite3, or psql for a
# PostgreSQL store), as another host would; returns what the last statement prints.
function Invoke-StoreSql {
    param([string] $Path, [string] $Sql)
    if ($Path -match '^postgres(ql)?://') {
        Invoke-PostgresTool psql @('-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', ([uri] $Path).AbsolutePath.TrimStart('/'),
            '-c', "SET search_path TO meeting_migration; $Sql")
    }
    else {
        & sqlite3 -cmd '.timeout 5000' $Path $Sql
        if ($LASTEXITCODE -ne 0) { throw "sqlite3 failed (exit $LASTEXITCODE)" }
    }
}

function New-TestStorePath {
    $name = "mms-pester-$([guid]::NewGuid().ToString('N'))"
    if (Test-PostgresRun) {
        $database = $name -replace '-', '_'
        $null = Invoke-PostgresTool createdb @($database)
        return "$($env:MMS_PESTER_POSTGRES.TrimEnd('/'))/$database"
    }
    Join-Path ([IO.Path]::GetTempPath()) "$name.db"
}

# Points $env:MEETING_MIGRATION_STORE at a new temp file, imports the staged module and, unless
# -Empty, creates the sample tenant (default: 20 users, 4 meetings each). Returns the store path.
function Initialize-TestStore {
    param([int] $UserCount = 20, [int] $MeetingsPerUser = 4, [switch] $Empty)
    $path = New-TestStorePath
    $env:MEETING_MIGRATION_STORE = $path
    Import-Module $script:MmsModulePath -Force
    if (-not $Empty) {
        $null = New-MmsSampleTenant -UserCount $UserCount -MeetingsPerUser $MeetingsPerUser -Confirm:$false
    }
    $path
}

# A new empty temp folder for the files a test file writes (CSV, JSON); Remove-TestStore -Scratch deletes it.
function New-TestScratch {
    $path = Join-Path ([IO.Path]::GetTempPath()) "mms-pester-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory $path
    $path
}

# Lets go of the store (module removal frees it once running jobs are done) and deletes its files,
# and the -Scratch folder when given.
function Remove-TestStore {
    param([string] $Path, [string] $Scratch)
    Get-Job | Remove-Job -Force -ErrorAction SilentlyContinue
    Remove-Module MeetingMigration -Force -ErrorAction SilentlyContinue
    if ($Path -and $Path -match '^postgres(ql)?://') {
        $null = Invoke-PostgresTool dropdb @('--force', '--if-exists', ([uri] $Path).AbsolutePath.TrimStart('/'))
    }
    elseif ($Path) { Remove-Item "$Path*" -Force -ErrorAction SilentlyContinue }
    if ($Scratch) { Remove-Item $Scratch -Recurse -Force -ErrorAction SilentlyContinue }
}

# SHA-256 of the database file and its WAL, computed by ANOTHER process: opening the store file in
# this process outside SQLite would drop SQLite's locks (POSIX locks belong to the process and go
# with the first close of any descriptor of the file). The -shm index is left out.
function Get-StoreHash {
    param([string] $Path)
    if ($Path -match '^postgres(ql)?://') {
        # A shared store: the hash of a dump of its rows (pg_dump, another process).
        # Without pg_dump's \restrict lines, whose key is new in every dump.
        $dump = Invoke-PostgresTool pg_dump @('--data-only', '--schema=meeting_migration', ([uri] $Path).AbsolutePath.TrimStart('/')) |
            Where-Object { $_ -notmatch '^\\(un)?restrict ' }
        $bytes = [Text.Encoding]::UTF8.GetBytes(($dump -join "`n"))
        return [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes))
    }
    $files = @(@($Path, "$Path-wal") | Where-Object { Test-Path -LiteralPath $_ })
    if (Get-Command sha256sum -CommandType Application -ErrorAction SilentlyContinue) {
        (& sha256sum @files) -join "`n"
    }
    else {
        & $script:Pwsh -NoProfile -NonInteractive -Command "Get-FileHash -LiteralPath '$($files -join "','")' | ForEach-Object Hash"
    }
}

# Waits until no request (of -Identity, when given) of the tenant (-Tenant, else the default) is
# Pending or InProgress. A request queued while the tenant had a hold time keeps it, so wait per
# user in files that set HoldMinutes.
function Wait-MigrationIdle {
    param([string] $Identity, [guid] $Tenant, [int] $TimeoutSeconds = 60)
    $filter = if ($Identity) { @{ Identity = $Identity } } else { @{} }
    if ($Tenant) { $filter.Tenant = $Tenant }
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (-not (Get-CsMeetingMigrationStatus @filter | Where-Object { $_.State -in 'Pending', 'InProgress' })) { return }
        Start-Sleep -Milliseconds 100
    }
    throw "Migrations still open after $TimeoutSeconds s."
}

# Completion texts for the command line $Line with the cursor at its end.
function Get-CompletionText {
    param([string] $Line)
    (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
}
