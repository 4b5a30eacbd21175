import { findJava, parseJavaMajor } from './java';
import { StackError } from './stack-error';

describe('the JDK check', () => {
  it('reads modern and legacy version strings', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "25" 2025-09-16')).toBe(25);
  });

  it('refuses a JDK older than 17, saying what to install', () => {
    expect(() => parseJavaMajor('java version "1.8.0_402"')).toThrow(/Java 8 found.*need Java 17 or newer.*JAVA_HOME/);
    expect(() => parseJavaMajor('openjdk version "11.0.2"')).toThrow(StackError);
  });

  it('says how to get a JDK when there is none', () => {
    expect(() => findJava({ JAVA_HOME: '/nonexistent/jdk' })).toThrow(/No Java found \(\/nonexistent\/jdk\/bin\/java\).*install one/);
  });
});
