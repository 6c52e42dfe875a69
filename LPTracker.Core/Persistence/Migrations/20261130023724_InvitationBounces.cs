using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LPTracker.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InvitationBounces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BounceReason",
                table: "AccountTokens",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "BouncedUtc",
                table: "AccountTokens",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BounceReason",
                table: "AccountTokens");

            migrationBuilder.DropColumn(
                name: "BouncedUtc",
                table: "AccountTokens");
        }
    }
}
