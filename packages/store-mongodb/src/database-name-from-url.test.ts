import { describe, expect, it } from 'vitest';
import { databaseNameFromUrl } from './database-name-from-url.js';
import { redactUrl } from './mongo-store-errors.js';

describe('databaseNameFromUrl', () => {
  it('reads the database a connection string names, with several hosts, credentials and options', () => {
    expect(databaseNameFromUrl('mongodb://127.0.0.1:27017/darkroom')).toBe('darkroom');
    expect(databaseNameFromUrl('mongodb://user:p%40ss@a:27017,b:27018/prod_chat?replicaSet=rs0&authSource=admin')).toBe('prod_chat');
    expect(databaseNameFromUrl('mongodb+srv://cluster0.example.net/darkroom%2Dchat?retryWrites=true')).toBe('darkroom-chat');
  });

  it('answers undefined when the string names no database', () => {
    expect(databaseNameFromUrl('mongodb://127.0.0.1:27017')).toBeUndefined();
    expect(databaseNameFromUrl('mongodb://127.0.0.1:27017/')).toBeUndefined();
    expect(databaseNameFromUrl('mongodb://127.0.0.1:27017/?replicaSet=rs0')).toBeUndefined();
    expect(databaseNameFromUrl('not a url')).toBeUndefined();
  });

  it('refuses a database name with a malformed %-escape as a configuration error, not a URIError', () => {
    for (const url of ['mongodb://127.0.0.1:27017/%E0%A4%A', 'mongodb://h/%ZZ?replicaSet=rs0', 'mongodb://h/db%']) {
      expect(() => databaseNameFromUrl(url)).toThrow(expect.objectContaining({ code: 'configuration', message: expect.stringContaining('malformed %-escape') }));
    }
  });
});

describe('redactUrl', () => {
  it('hides the user and password of a connection string and keeps the rest', () => {
    expect(redactUrl('mongodb://darkroom:s3cret@a:27017,b:27017/db?tls=true')).toBe('mongodb://***@a:27017,b:27017/db?tls=true');
    expect(redactUrl('mongodb+srv://u:p@cluster0.example.net/')).toBe('mongodb+srv://***@cluster0.example.net/');
    expect(redactUrl('mongodb://127.0.0.1:27017/db')).toBe('mongodb://127.0.0.1:27017/db');
  });
});
