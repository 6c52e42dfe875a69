using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LPTracker.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EmployeeListIdIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Employees_AccountId_Id",
                table: "Employees",
                columns: new[] { "AccountId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Employees_AccountId_Id",
                table: "Employees");
        }
    }
}
