using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Parameters;

/// <summary>Completes <c>-Tenant</c> with the ids of the store's tenants whose id or name starts with what was typed.</summary>
public sealed class TenantCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        MmsTenant[] tenants;
        try
        {
            MmsStore store = StoreSession.Lease(location: null);
            try
            {
                tenants = store.ListTenants();
            }
            finally
            {
                store.ReleaseLease();
            }
        }
        catch (Exception)
        {
            return [];
        }

        return tenants
            .Where(t => t.TenantId.ToString().StartsWith(typed, StringComparison.OrdinalIgnoreCase)
                || t.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(t => t.IsDefault)
            .Select(t => new CompletionResult(
                t.TenantId.ToString(), $"{t.TenantId} ({t.Name})", CompletionResultType.ParameterValue,
                $"{t.Name}{(t.IsDefault ? ", the default tenant" : "")}: {string.Join(", ", t.Domains.Select(d => d.Name))}"));
    }
}
