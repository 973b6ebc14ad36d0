using System;

namespace MeetingMigration.PowerShell.Model;

/// <summary>A tenant of the local store.</summary>
public sealed class MmsTenant
{
    public Guid TenantId { get; set; }
    public string Name { get; set; } = "";
    public TenantDomain[] Domains { get; set; } = [];
    public bool IsDefault { get; set; }
    public long UserCount { get; set; }
}

/// <summary>
/// A tenant's domain and its NetBIOS name (for <c>DOMAIN\logon</c> identities). PowerShell converts
/// <c>@{Name='contoso.com'; NetBiosName='CONTOSO'}</c> to this type for <c>New-MmsTenant -Domain</c>.
/// </summary>
public sealed class TenantDomain
{
    public string Name { get; set; } = "";
    public string NetBiosName { get; set; } = "";

    public override string ToString() => $"{Name} ({NetBiosName})";
}
