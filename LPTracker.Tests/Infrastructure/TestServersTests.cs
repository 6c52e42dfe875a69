using Npgsql;
using StackExchange.Redis;

namespace LPTracker.Tests.Infrastructure;

/// <summary>The private PostgreSQL and Redis servers the scale-out tests run on.</summary>
public sealed class TestServersTests
{
    [Fact]
    public async Task Each_test_gets_an_empty_database_of_its_own_on_the_private_postgres()
    {
        var server = await PostgresTestServer.SharedAsync();
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();

        await Execute(first, "CREATE TABLE marker (id int)");
        var tablesInSecond = await Scalar<long>(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'");
        var port = await Scalar<string>(first, "SHOW port");

        Assert.NotEqual(first, second);
        Assert.Equal(0, tablesInSecond);
        Assert.Equal(server.Port.ToString(), port);
        Assert.NotEqual(5432, server.Port);
    }

    [Fact]
    public async Task The_private_redis_answers_on_its_own_port_and_stops_on_dispose()
    {
        var server = await RedisTestServer.StartAsync();
        string pong;
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration))
        {
            pong = (await redis.GetDatabase().ExecuteAsync("PING")).ToString();
        }

        await server.DisposeAsync();

        Assert.Equal("PONG", pong);
        Assert.NotEqual(6379, server.Port);
        await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(async () =>
        {
            using var probe = new System.Net.Sockets.TcpClient();
            await probe.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
        });
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
