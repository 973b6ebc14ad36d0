using System.Management.Automation;

namespace MeetingMigration.PowerShell.Parameters;

/// <summary>
/// Lets a user or status object stand for its user: <c>-Identity $user</c> (or such an object piped by value)
/// binds its <c>UserPrincipalName</c>, never its <c>ToString()</c>. Anything else is left to normal binding.
/// </summary>
public sealed class UserIdentityTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is string)
        {
            return value;
        }

        return PSObject.AsPSObject(inputData).Properties["UserPrincipalName"]?.Value is { } upn
            && (upn is PSObject p ? p.BaseObject : upn) is string text && text.Length > 0
            ? text
            : inputData;
    }
}
