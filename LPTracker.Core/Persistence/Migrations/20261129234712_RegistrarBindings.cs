using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LPTracker.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RegistrarBindings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "InstanceId",
                table: "SipBindings",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Q",
                table: "SipBindings",
                type: "REAL",
                nullable: false,
                defaultValue: 1.0); // bindings stored before q was kept had no q: RFC 3261's default, 1.0

            migrationBuilder.AddColumn<int>(
                name: "RegId",
                table: "SipBindings",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "InstanceId",
                table: "SipBindings");

            migrationBuilder.DropColumn(
                name: "Q",
                table: "SipBindings");

            migrationBuilder.DropColumn(
                name: "RegId",
                table: "SipBindings");
        }
    }
}
