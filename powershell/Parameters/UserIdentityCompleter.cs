using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Parameters;

/// <summary>
/// Completes <c>-Identity</c> from the directory in the form being typed: UPNs (<c>ken…</c>), SIP addresses
/// (<c>sip:ken…</c>) and domain logons (<c>LITWAREINC\ken…</c>), through the library's indexed UPN-prefix lookup.
/// At most <see cref="MaxResults"/> users are offered; when more match, a last entry says so.
/// </summary>
public sealed class UserIdentityCompleter : IArgumentCompleter
{
    internal const int MaxResults = 50;

    /// <summary>Users looked at per completion: SIP and logon forms are filtered from the UPN-prefix matches.</summary>
    private const int Scan = 1000;

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        string? tenant = fakeBoundParameters?["Tenant"] switch
        {
            null => null,
            PSObject p => p.BaseObject.ToString(),
            object t => t.ToString(),
        };

        // Which form, and the UPN prefix that finds its users.
        Func<OnlineUser, string?> form;
        string upnPrefix;
        if (typed.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            string rest = typed[4..];
            upnPrefix = rest;
            form = u => u.SipAddress?.StartsWith("sip:" + rest, StringComparison.OrdinalIgnoreCase) == true ? u.SipAddress : null;
        }
        else if (typed.IndexOf('\\') is var slash and > 0)
        {
            upnPrefix = typed[(slash + 1)..];
            form = u => u.WindowsDomainLogon?.StartsWith(typed, StringComparison.OrdinalIgnoreCase) == true ? u.WindowsDomainLogon : null;
        }
        else
        {
            upnPrefix = typed;
            form = u => u.UserPrincipalName;
        }

        UsersPage page;
        try
        {
            MmsStore store = StoreSession.Lease(location: null);
            try
            {
                page = store.ListUsers(new UsersQuery(tenant, null, upnPrefix, null, typed == upnPrefix ? MaxResults + 1 : Scan));
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

        var matches = page.Users
            .Select(u => (User: u, Text: form(u)))
            .Where(m => !string.IsNullOrEmpty(m.Text))
            .Take(MaxResults + 1)
            .ToList();
        var results = matches.Take(MaxResults).Select(m => new CompletionResult(
            Quote(m.Text!), m.Text, CompletionResultType.ParameterValue,
            string.IsNullOrEmpty(m.User.DisplayName) ? m.User.UserPrincipalName : $"{m.User.DisplayName} <{m.User.UserPrincipalName}>")).ToList();
        if (matches.Count > MaxResults)
        {
            results.Add(MoreEntry(wordToComplete ?? "", typed));
        }

        return results;
    }

    /// <summary>
    /// The entry that says the list was cut: choosing it leaves the typed text as it was.
    /// </summary>
    internal static CompletionResult MoreEntry(string wordToComplete, string typed) =>
        new(wordToComplete.Length > 0 ? wordToComplete : "''", $"... (more than {MaxResults} match)", CompletionResultType.ParameterValue,
            $"Only the first {MaxResults} matches of '{typed}' are listed: type more of the name to see the others.");

    internal static string Quote(string value) =>
        value.StartsWith('@') || value.IndexOfAny([' ', '\t', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '&', '|', '#']) >= 0
            ? "'" + value.Replace("'", "''") + "'"
            : value;
}
