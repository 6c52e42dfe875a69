namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>Splits a list header value on commas that are outside quoted strings and angle brackets.</summary>
internal static class HeaderListSplitter
{
    public static void Split(string value, List<string> into)
    {
        var inQuotes = false;
        var inAngle = false;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (inQuotes)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }
            }
            else if (c == '"')
            {
                inQuotes = true;
            }
            else if (c == '<')
            {
                inAngle = true;
            }
            else if (c == '>')
            {
                inAngle = false;
            }
            else if (c == ',' && !inAngle)
            {
                into.Add(value[start..i].Trim());
                start = i + 1;
            }
        }

        into.Add(start == 0 ? value : value[start..].Trim());
    }
}
