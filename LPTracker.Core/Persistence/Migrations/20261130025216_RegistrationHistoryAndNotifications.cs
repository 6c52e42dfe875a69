using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LPTracker.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RegistrationHistoryAndNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    RecipientEmployeeId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SubjectKey = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    SubjectEmployeeId = table.Column<int>(type: "INTEGER", nullable: true),
                    Args = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    ReadUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notifications_Employees_RecipientEmployeeId",
                        column: x => x.RecipientEmployeeId,
                        principalTable: "Employees",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RegistrationHistory",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    EmployeeId = table.Column<int>(type: "INTEGER", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Online = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reason = table.Column<int>(type: "INTEGER", nullable: false),
                    Device = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Transport = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    Folded = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RegistrationHistory", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RegistrationHistory_Employees_EmployeeId",
                        column: x => x.EmployeeId,
                        principalTable: "Employees",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_AccountId_Kind_SubjectKey",
                table: "Notifications",
                columns: new[] { "AccountId", "Kind", "SubjectKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_LastUtc",
                table: "Notifications",
                column: "LastUtc");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_RecipientEmployeeId_LastUtc",
                table: "Notifications",
                columns: new[] { "RecipientEmployeeId", "LastUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_RecipientEmployeeId_ReadUtc",
                table: "Notifications",
                columns: new[] { "RecipientEmployeeId", "ReadUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_RegistrationHistory_AccountId_EmployeeId_AtUtc",
                table: "RegistrationHistory",
                columns: new[] { "AccountId", "EmployeeId", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_RegistrationHistory_AtUtc",
                table: "RegistrationHistory",
                column: "AtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_RegistrationHistory_EmployeeId",
                table: "RegistrationHistory",
                column: "EmployeeId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "RegistrationHistory");
        }
    }
}
