/** The Spring Data JDBC dialect for SQLite, which Spring Data JDBC does not ship. */
@NullMarked
package dev.litefs.spring.data.jdbc;

import org.jspecify.annotations.NullMarked;
