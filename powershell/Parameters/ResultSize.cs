using System;
using System.Globalization;

namespace MeetingMigration.PowerShell.Parameters;

/// <summary>
/// The type of <c>Get-CsOnlineUser -ResultSize</c>, like Microsoft's <c>Unlimited</c>: a whole number from 0 to
/// 2147483647 (0 returns nothing) or the word <c>Unlimited</c>. PowerShell converts arguments through the
/// constructor and <see cref="Parse"/>.
/// </summary>
public sealed class ResultSize
{
    /// <summary>The most users to return; null when unlimited.</summary>
    public long? Value { get; }

    public bool IsUnlimited => Value is null;

    public ResultSize(int value)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "-ResultSize is a whole number from 0 to 2147483647, or Unlimited.");
        }

        Value = value;
    }

    private ResultSize()
    {
    }

    public static ResultSize Unlimited { get; } = new();

    /// <summary>"Unlimited" (any case) or a whole number.</summary>
    public static ResultSize Parse(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Equals("Unlimited", StringComparison.OrdinalIgnoreCase))
        {
            return Unlimited;
        }

        if (int.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            return new ResultSize(value);
        }

        throw new FormatException($"'{text}' is not a -ResultSize: use a whole number from 0 to 2147483647, or Unlimited.");
    }

    public override string ToString() => Value?.ToString(CultureInfo.InvariantCulture) ?? "Unlimited";
}
