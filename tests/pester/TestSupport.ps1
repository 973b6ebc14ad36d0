# Shared by every *.Tests.ps1 of this folder (dot-sourced in BeforeAll): where the staged module
# is, a fresh temp store per test file, and a hash of the store taken from a separate process.

$script:MmsModulePath = if ($env:MMS_MODULE_PATH) { $env:MMS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/MeetingMigration' }
$script:SampleTenantId = [guid]'38aad667-af54-4397-aaa7-e94c79ec2308'
# A fresh pwsh of the same installation, for checks that must run in another process.
$script:Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')

function New-TestStorePath {
    Join-Path ([IO.Path]::GetTempPath()) "mms-pester-$([guid]::NewGuid().ToString('N')).db"
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
    if ($Path) { Remove-Item "$Path*" -Force -ErrorAction SilentlyContinue }
    if ($Scratch) { Remove-Item $Scratch -Recurse -Force -ErrorAction SilentlyContinue }
}

# SHA-256 of the database file and its WAL, computed by ANOTHER process: opening the store file in
# this process outside SQLite would drop SQLite's locks (POSIX locks belong to the process and go
# with the first close of any descriptor of the file). The -shm index is left out.
function Get-StoreHash {
    param([string] $Path)
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
