#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "keras/serialize/zip_archive.hpp"
#include "serialize_fixtures.hpp"

using Catch::Matchers::Contains;
using keras::serialize::ZipReader;
using keras::serialize::ZipWriter;
namespace fs = std::filesystem;
using keras::testing::fixture;
using keras::testing::scratch;
using keras::testing::slurp;
using keras::testing::spit;

namespace {

unsigned little_endian(const std::string& bytes, std::size_t at, int width) {
  unsigned value = 0;
  for (int i = width - 1; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  }
  return value;
}

void set_little_endian(std::string& bytes, std::size_t at, unsigned value) {
  for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

const std::string kBinary = std::string("\0\x01\xff\x00zip", 7);

// a.txt, dir/b.bin and an empty member, written by ZipWriter.
fs::path small_archive(const fs::path& dir) {
  const fs::path path = dir / "small.zip";
  ZipWriter writer(path.string());
  writer.add("a.txt", "hello, zip");
  writer.add("dir/b.bin", kBinary);
  writer.add("empty", "");
  writer.close();
  return path;
}

}  // namespace

TEST_CASE("ZipWriter stores members in order with the 1980-01-01 timestamp", "[serialize][zip]") {
  const fs::path path = small_archive(scratch("zip_round_trip"));
  const ZipReader reader(path.string());
  CHECK(reader.names() == std::vector<std::string>{"a.txt", "dir/b.bin", "empty"});
  CHECK(reader.contains("dir/b.bin"));
  CHECK_FALSE(reader.contains("b.bin"));  // exact names only
  CHECK(reader.read("a.txt") == "hello, zip");
  CHECK(reader.read("dir/b.bin") == kBinary);
  CHECK(reader.read("empty").empty());

  // The first local file header: method 0 (stored), DOS time 00:00 and date
  // 1980-01-01 ((1980 - 1980) << 9 | 1 << 5 | 1 = 0x21), sizes equal.
  const std::string bytes = slurp(path);
  REQUIRE(bytes.substr(0, 4) == "PK\x03\x04");
  CHECK(little_endian(bytes, 8, 2) == 0);
  CHECK(little_endian(bytes, 10, 2) == 0);
  CHECK(little_endian(bytes, 12, 2) == 0x21);
  CHECK(little_endian(bytes, 18, 4) == 10);
  CHECK(little_endian(bytes, 22, 4) == 10);
}

TEST_CASE("an archive with no members is the 22-byte end record", "[serialize][zip]") {
  const fs::path path = scratch("zip_empty") / "empty.zip";
  ZipWriter writer(path.string());
  writer.close();
  CHECK(slurp(path) == std::string("PK\x05\x06", 4) + std::string(18, '\0'));
  CHECK(ZipReader(path.string()).names().empty());
}

TEST_CASE("ZipReader reads deflated members (numpy.savez_compressed)", "[serialize][zip]") {
  const ZipReader stored(fixture("savez.npz"));
  const ZipReader deflated(fixture("savez_compressed.npz"));
  const std::vector<std::string> names{"weights.npy", "flags.npy", "arr_0.npy"};
  CHECK(stored.names() == names);
  REQUIRE(deflated.names() == names);
  for (const std::string& name : names) {
    INFO(name);
    CHECK(deflated.read(name) == stored.read(name));
  }
}

TEST_CASE("ZipReader is movable and may be shared by threads", "[serialize][zip]") {
  const fs::path path = small_archive(scratch("zip_threads"));
  ZipReader first(path.string());
  ZipReader reader(std::move(first));
  std::vector<int> ok(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < ok.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        ok[t] += reader.read(t % 2 ? "a.txt" : "dir/b.bin") == (t % 2 ? "hello, zip" : kBinary);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(ok == std::vector<int>(4, 50));
}

TEST_CASE("ZipReader errors name the archive and the member", "[serialize][zip]") {
  const fs::path dir = scratch("zip_errors");
  const fs::path path = small_archive(dir);
  const std::string bytes = slurp(path);

  CHECK_THROWS_WITH(ZipReader((dir / "missing.zip").string()),
                    Contains("missing.zip") && Contains("no such file"));
  CHECK_THROWS_WITH(ZipReader(fixture("int8.npy")),
                    Contains("int8.npy") && Contains("is not a readable zip archive"));
  spit(dir / "zero.zip", "");
  CHECK_THROWS_WITH(ZipReader((dir / "zero.zip").string()), Contains("the file is empty"));
  spit(dir / "truncated.zip", bytes.substr(0, bytes.size() / 2));
  CHECK_THROWS_WITH(ZipReader((dir / "truncated.zip").string()),
                    Contains("truncated.zip") && Contains("is not a readable zip archive"));

  const ZipReader reader(path.string());
  CHECK_THROWS_WITH(reader.read("b.bin"), Contains("has no member 'b.bin'") &&
                                              Contains("it has: a.txt, dir/b.bin, empty"));

  // A flipped data byte fails the CRC-32 check.
  std::string damaged = bytes;
  damaged[damaged.find("hello, zip")] = 'H';
  spit(dir / "crc.zip", damaged);
  CHECK_THROWS_WITH(ZipReader((dir / "crc.zip").string()).read("a.txt"),
                    Contains("crc.zip") && Contains("member 'a.txt'") && Contains("CRC"));

  // Both headers of a.txt claim 11 bytes while 10 are stored.
  std::string longer = bytes;
  set_little_endian(longer, 22, 11);
  set_little_endian(longer, longer.find("PK\x01\x02") + 24, 11);
  spit(dir / "size.zip", longer);
  CHECK_THROWS_WITH(ZipReader((dir / "size.zip").string()).read("a.txt"),
                    Contains("member 'a.txt'") &&
                        Contains("is stored (not compressed) but declares 11 bytes with 10"));
}

TEST_CASE("ZipReader refuses zip bombs and impossible sizes before allocating",
          "[serialize][zip]") {
  // 5 GiB declared from a few compressed bytes (zip64 fields).
  const ZipReader bomb(fixture("bad_bomb.zip"));
  CHECK(bomb.names() == std::vector<std::string>{"bomb.npy"});
  CHECK_THROWS_WITH(bomb.read("bomb.npy"),
                    Contains("bad_bomb.zip") && Contains("member 'bomb.npy'") &&
                        Contains("declares 5368709120 bytes") && Contains("zip bomb"));
  // 200 MiB from the same few bytes: under 4 GiB, but not what deflate can make.
  CHECK_THROWS_WITH(ZipReader(fixture("bad_deflate_size.zip")).read("big.npy"),
                    Contains("member 'big.npy'") && Contains("more than deflate can produce"));
}

TEST_CASE("ZipReader::names refuses names unsafe for extraction", "[serialize][zip]") {
  const ZipReader reader(fixture("bad_names.zip"));
  CHECK_THROWS_WITH(reader.names(), Contains("member '../evil.npy'") && Contains("'..' component"));
  // Reading by exact name stays possible: it writes nothing anywhere.
  CHECK(reader.contains("../evil.npy"));
  CHECK(reader.read("ok.npy").substr(0, 6) == "\x93NUMPY");
}

TEST_CASE("ZipWriter refuses names and calls a reader would not trust", "[serialize][zip]") {
  const fs::path dir = scratch("zip_writer_errors");
  ZipWriter writer((dir / "w.zip").string());
  CHECK_THROWS_WITH(writer.add("", "x"), Contains("it is empty"));
  CHECK_THROWS_WITH(writer.add("/etc/x", "x"), Contains("'/etc/x'") && Contains("absolute"));
  CHECK_THROWS_WITH(writer.add("a/../../x", "x"), Contains("'..' component"));
  CHECK_THROWS_WITH(writer.add("C:x", "x"), Contains("drive letter"));
  CHECK_THROWS_WITH(writer.add("dir/", "x"), Contains("must not end with '/'"));
  writer.add("a", "1");
  CHECK_THROWS_WITH(writer.add("a", "2"), Contains("member 'a' was already added"));
  writer.close();
  CHECK_THROWS_WITH(writer.add("b", "x"), Contains("already closed"));
  CHECK(ZipReader((dir / "w.zip").string()).read("a") == "1");

  ZipWriter nowhere((dir / "no_such_dir" / "w.zip").string());
  nowhere.add("a", "1");
  CHECK_THROWS_WITH(nowhere.close(), Contains("no_such_dir") &&
                                         Contains("cannot create a file in its directory") &&
                                         Contains("No such file or directory"));
  CHECK_FALSE(fs::exists(dir / "no_such_dir"));
}
