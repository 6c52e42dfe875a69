using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LPTracker.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Memberships_ProjectId_TakesCalls",
                table: "Memberships",
                columns: new[] { "ProjectId", "TakesCalls" });

            migrationBuilder.CreateIndex(
                name: "IX_Employees_AccountId_LastLoginUtc",
                table: "Employees",
                columns: new[] { "AccountId", "LastLoginUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Employees_AccountId_NormalizedLogin",
                table: "Employees",
                columns: new[] { "AccountId", "NormalizedLogin" });

            migrationBuilder.CreateIndex(
                name: "IX_Employees_AccountId_Position",
                table: "Employees",
                columns: new[] { "AccountId", "Position" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Memberships_ProjectId_TakesCalls",
                table: "Memberships");

            migrationBuilder.DropIndex(
                name: "IX_Employees_AccountId_LastLoginUtc",
                table: "Employees");

            migrationBuilder.DropIndex(
                name: "IX_Employees_AccountId_NormalizedLogin",
                table: "Employees");

            migrationBuilder.DropIndex(
                name: "IX_Employees_AccountId_Position",
                table: "Employees");
        }
    }
}
