#include "taskledger/tencent/HttpAnswer.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace taskledger::tencent {
namespace {

constexpr std::size_t kMax = 1 << 20;

TEST(HttpAnswer, ContentLengthSaysWhenTheBodyIsComplete) {
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 5\r\n\r\n";
  EXPECT_FALSE(readHttpAnswer(head, false, kMax));
  EXPECT_FALSE(readHttpAnswer(head + "{\"a\"", false, kMax));
  auto a = readHttpAnswer(head + "{\"a\"}", false, kMax);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body, "{\"a\"}");
  EXPECT_TRUE(a->keep_alive);
  // Bytes after the answer are not part of it (the client then closes the connection).
  auto b = readHttpAnswer(head + "{\"a\"}HTTP/1.1", false, kMax);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->size, head.size() + 5);
}

TEST(HttpAnswer, ChunkedBodiesAreJoined) {
  const std::string in = "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "4\r\nbusy\r\n7;ext=1\r\n, later\r\n0\r\n\r\n";
  EXPECT_FALSE(readHttpAnswer(in.substr(0, in.size() - 2), false, kMax));
  auto a = readHttpAnswer(in, false, kMax);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 503);
  EXPECT_EQ(a->body, "busy, later");
  EXPECT_EQ(a->size, in.size());
}

TEST(HttpAnswer, WhetherTheConnectionCanBeUsedAgain) {
  EXPECT_FALSE(readHttpAnswer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false, kMax)->keep_alive);
  EXPECT_FALSE(readHttpAnswer("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false, kMax)->keep_alive);
  EXPECT_TRUE(readHttpAnswer("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", false, kMax)->keep_alive);
  // Without a length the body runs to the close, and then the connection is done.
  const std::string until_close = "HTTP/1.1 500 Internal Server Error\r\n\r\noops";
  EXPECT_FALSE(readHttpAnswer(until_close, false, kMax));
  auto a = readHttpAnswer(until_close, true, kMax);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->body, "oops");
  EXPECT_FALSE(a->keep_alive);
}

void expectRefused(const std::string& in, bool closed, const std::string& says, std::size_t max = kMax) {
  try {
    readHttpAnswer(in, closed, max);
    ADD_FAILURE() << "accepted: " << in;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
  }
}

TEST(HttpAnswer, WhatIsNotAnAnswerSaysWhy) {
  expectRefused("", true, "closed without an answer");
  expectRefused("HTTP/1.1 200 OK\r\nContent-Le", true, "closed in the answer's headers");
  expectRefused("SSH-2.0-OpenSSH\r\n\r\n", false, "not an HTTP answer");
  expectRefused("HTTP/1.1 abc\r\n\r\n", false, "bad status line");
  expectRefused("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true, "closed after 3 of 10 bytes");
  expectRefused("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false, "bad Content-Length");
  expectRefused("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false, "bad chunk size");
  expectRefused("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", false, "longer than its size");
  expectRefused("HTTP/1.1 200 OK\r\nContent-Length: 2048\r\n\r\n", false, "larger than 1 KiB", 1024);
  expectRefused("HTTP/1.1 200 OK\r\nX: " + std::string(2048, 'x'), false, "larger than 1 KiB", 1024);
}

}  // namespace
}  // namespace taskledger::tencent
