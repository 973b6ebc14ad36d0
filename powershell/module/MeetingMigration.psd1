@{
    RootModule           = 'MeetingMigration.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0c7a3e-2f43-4d0e-9a55-8c1f6d2e7b14'
    Author               = 'MeetingMigration contributors'
    Copyright            = '(c) MeetingMigration contributors. MIT License.'
    Description          = 'A local Meeting Migration Service with the PowerShell surface of Start-CsExMeetingMigration: a tenant directory, users'' calendars, a durable migration queue and a worker that rewrites meetings.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('MeetingMigration.Format.ps1xml')
    CmdletsToExport      = @(
        'Start-CsExMeetingMigration'
        'Get-CsMeetingMigrationStatus'
        'Get-CsOnlineUser'
        'Get-CsTenantMigrationConfiguration'
        'Set-CsTenantMigrationConfiguration'
        'Get-CsOnlineDialInConferencingTenantSettings'
        'Set-CsOnlineDialInConferencingTenantSettings'
        'New-MmsSampleTenant'
        'Import-MmsTenantData'
        'Export-MmsTenantData'
        'Get-MmsTenant'
        'New-MmsTenant'
        'Set-MmsTenant'
        'Get-MmsMeeting'
        'Set-MmsMeeting'
        'Test-MmsStore'
        'Backup-MmsStore'
        'Set-MmsUser'
        'Set-MmsUserLicense'
        'Move-CsUser'
        'Grant-CsTeamsUpgradePolicy'
        'Get-MmsFaultInjection'
        'Set-MmsFaultInjection'
        'Get-CsTeamsUpgradePolicy'
        'Set-CsOnlineDialInConferencingUser'
        'Get-CsOnlineDialInConferencingUser'
        'Set-CsOnlineDialInConferencingUserDefaultNumber'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Teams', 'SkypeForBusiness', 'MeetingMigration', 'PSEdition_Core')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
