using LPTracker.Core.Numbers;

namespace LPTracker.Tests.Core.Numbers;

public class PhoneRulesTests
{
    [Theory]
    [InlineData("8 (812) 389-32-98", "+78123893298")]
    [InlineData("+7 812 3893298", "+78123893298")]
    [InlineData("+7(812)389-32-98", "+78123893298")]
    [InlineData("  8 812 389 32 98 ", "+78123893298")]
    [InlineData("9215550000", "+79215550000")]
    [InlineData("+1 650 253 0000", "+16502530000")]
    [InlineData("+44 20 7031 3000", "+442070313000")]
    public void A_valid_number_in_any_common_format_becomes_e164(string input, string expected)
    {
        var e164 = PhoneRules.Normalize(input);

        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("abc")]
    [InlineData("8 800 FLOWERS")]
    [InlineData("12345")]
    [InlineData("+999 123 456 789")]
    [InlineData("+7 812 389-32-98 доб. 5")]
    [InlineData("8 (812) 389-32-98 8 (812) 389-32-98 8 (812)")]
    [InlineData("+7+812-389")]
    public void Letters_short_numbers_and_unknown_countries_are_not_phone_numbers(string? input)
    {
        var e164 = PhoneRules.Normalize(input);

        Assert.Null(e164);
    }

    [Fact]
    public void A_number_is_shown_in_the_international_format()
    {
        var shown = PhoneRules.Display("+78123893298");

        Assert.Equal("+7 812 389-32-98", shown);
    }
}
