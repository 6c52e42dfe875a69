using LPTracker.Core.Accounts;

namespace LPTracker.Tests.Core.Accounts;

public class AccountRulesTests
{
    [Theory]
    [InlineData(null, 10001)]
    [InlineData(5, 10001)]
    [InlineData(10001, 10002)]
    [InlineData(19079, 19080)]
    public void The_next_account_number_follows_the_highest_in_use(int? highest, int expected)
    {
        var next = AccountNumbers.Next(highest);

        Assert.Equal(expected, next);
    }

    [Theory]
    [InlineData("ivan", true)]
    [InlineData("Ivan.Petrov-2_x", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("ivan petrov", false)]
    [InlineData("иван", false)]
    [InlineData("ivan@x", false)]
    [InlineData("a'; DROP TABLE Employees;--", false)]
    [InlineData("<b>ivan</b>", false)]
    public void Login_suffixes_allow_only_latin_letters_digits_dot_underscore_and_dash(string? suffix, bool valid)
    {
        var result = LoginRules.IsValidSuffix(suffix);

        Assert.Equal(valid, result);
    }

    [Fact]
    public void A_login_suffix_longer_than_the_limit_is_refused()
    {
        var result = LoginRules.IsValidSuffix(new string('a', 41));

        Assert.False(result);
    }

    [Fact]
    public void An_employee_login_is_the_account_number_an_underscore_and_the_lower_cased_name()
    {
        var login = LoginRules.Compose(19079, "Ivan");

        Assert.Equal("19079_ivan", login);
    }

    [Theory]
    [InlineData("19079_ivan", "ivan")]
    [InlineData("19080_ivan", null)]
    [InlineData("owner@example.com", null)]
    public void The_editable_part_of_a_login_is_what_follows_the_fixed_prefix(string login, string? suffix)
    {
        var result = LoginRules.SuffixOf(19079, login);

        Assert.Equal(suffix, result);
    }

    [Theory]
    [InlineData("owner@example.com", true)]
    [InlineData("o.w-n+er@sub.example.ru", true)]
    [InlineData("owner@example", false)]
    [InlineData("owner example.com", false)]
    [InlineData("Owner <owner@example.com>", false)]
    [InlineData("@example.com", false)]
    [InlineData("owner@", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void An_email_is_a_single_mailbox_with_a_dotted_domain(string? value, bool valid)
    {
        var result = EmailRules.IsValid(value);

        Assert.Equal(valid, result);
    }

    [Theory]
    [InlineData("secret123", true)]
    [InlineData("пароль2026", true)]
    [InlineData("short1", false)]
    [InlineData("onlyletters", false)]
    [InlineData("1234567890", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_strong_password_has_eight_characters_with_letters_and_digits(string? value, bool strong)
    {
        var result = PasswordRules.IsStrong(value);

        Assert.Equal(strong, result);
    }
}
