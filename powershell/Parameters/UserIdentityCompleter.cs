using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MeetingMigration.PowerShell.Interop;

namespace MeetingMigration.PowerShell.Parameters;

/// <summary>Completes <c>-Identity</c> with the UPNs of the directory that start with what was typed (indexed prefix lookup).</summary>
public sealed class UserIdentityCompleter : IArgumentCompleter
{
    private const int MaxResults = 50;

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? "").Trim('\'', '"');
        string? tenant = fakeBoundParameters?["Tenant"] switch
        {
            null => null,
            PSObject p => p.BaseObject.ToString(),
            object t => t.ToString(),
        };

        UsersPage page;
        try
        {
            MmsStore store = StoreSession.Lease();
            try
            {
                page = store.ListUsers(new UsersQuery(tenant, null, prefix, null, MaxResults));
            }
            finally
            {
                store.ReleaseLease();
            }
        }
        catch (Exception)
        {
            // Completion never fails the command line; no store or a bad -Tenant simply completes nothing.
            return [];
        }

        return page.Users.Select(u => new CompletionResult(
            Quote(u.UserPrincipalName), u.UserPrincipalName, CompletionResultType.ParameterValue,
            string.IsNullOrEmpty(u.DisplayName) ? u.UserPrincipalName : $"{u.DisplayName} <{u.UserPrincipalName}>"));
    }

    private static string Quote(string value) =>
        value.StartsWith('@') || value.IndexOfAny([' ', '\t', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '&', '|', '#']) >= 0
            ? "'" + value.Replace("'", "''") + "'"
            : value;
}
