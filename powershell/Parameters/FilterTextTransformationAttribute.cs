using System.Management.Automation;

namespace MeetingMigration.PowerShell.Parameters;

/// <summary>
/// Accepts <c>-Filter {TeamsUpgradeEffectiveMode -eq 'TeamsOnly'}</c> as scripts write it: a script block
/// stands for its text (the OPath expression the library parses), a string for itself.
/// </summary>
public sealed class FilterTextTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is ScriptBlock filter
            ? filter.ToString().Trim()
            : inputData;
}
